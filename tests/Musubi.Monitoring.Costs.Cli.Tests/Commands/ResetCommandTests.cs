using Musubi.Monitoring.Sqlite;

namespace Musubi.Monitoring.Costs.Cli.Tests.Commands;

public sealed class ResetCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Reset_NotInteractiveWithoutYes_RefusesAndKeepsEveryRecord()
    {
        await LedgerSeed.RecordSampleAsync(_folder.Database);

        CliResult result = await CliRun.RunAsync(["reset", "--db", _folder.Database]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("pass --yes to confirm", result.Error, StringComparison.Ordinal);
        Assert.Equal(5, await CountAsync());
    }

    [Fact]
    public async Task Reset_Yes_DeletesEveryRecord()
    {
        await LedgerSeed.RecordSampleAsync(_folder.Database);

        CliResult result = await CliRun.RunAsync(["reset", "--yes", "--db", _folder.Database]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"Deleted 5 records from '{_folder.Database}'.\n", result.Output);
        Assert.Equal(0, await CountAsync());
    }

    [Theory]
    [InlineData("y\n")]
    [InlineData("YES\n")]
    public async Task Reset_InteractiveAnswerYes_Deletes(string answer)
    {
        await LedgerSeed.RecordSampleAsync(_folder.Database);

        CliResult result = await CliRun.RunAsync(["reset", "--db", _folder.Database], terminal: true, input: answer, variables: new() { ["NO_COLOR"] = "1" });

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith($"Delete all 5 records from '{_folder.Database}'? [y/N] ", result.Output, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync());
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("n\n")]
    [InlineData("")]
    public async Task Reset_InteractiveAnswerOtherThanYes_KeepsEveryRecord(string answer)
    {
        await LedgerSeed.RecordSampleAsync(_folder.Database);

        CliResult result = await CliRun.RunAsync(["reset", "--db", _folder.Database], terminal: true, input: answer);

        Assert.Equal(1, result.ExitCode);
        Assert.EndsWith("Nothing deleted.\n", result.Output, StringComparison.Ordinal);
        Assert.Equal(5, await CountAsync());
    }

    [Fact]
    public async Task Reset_MissingLedger_ExitsOneAndCreatesNothing()
    {
        CliResult result = await CliRun.RunAsync(["reset", "--yes", "--db", _folder.Database]);

        Assert.Equal(1, result.ExitCode);
        Assert.False(File.Exists(_folder.Database));
    }

    private async Task<long> CountAsync() =>
        (await new SqliteCostLedger($"Data Source={_folder.Database}").GetTotalAsync(new CostQuery(), TestContext.Current.CancellationToken)).Count;
}
