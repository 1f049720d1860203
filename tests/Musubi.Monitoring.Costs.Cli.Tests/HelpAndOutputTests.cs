namespace Musubi.Monitoring.Costs.Cli.Tests;

public sealed class HelpAndOutputTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(new[] { "--help" }, "estimate")]
    [InlineData(new[] { "estimate", "--help" }, "--cached")]
    [InlineData(new[] { "report", "-h" }, "--time-zone")]
    [InlineData(new[] { "pricing", "--help" }, "--prices")]
    [InlineData(new[] { "export", "--help" }, "--output")]
    [InlineData(new[] { "reset", "--help" }, "--yes")]
    public async Task Help_EveryCommand_PrintsUsageAndExitsZero(string[] args, string mentions)
    {
        CliResult result = await CliRun.RunAsync(args);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Output, StringComparison.Ordinal);
        Assert.Contains(mentions, result.Output, StringComparison.Ordinal);
        Assert.Contains("--db <file>", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_UnknownCommand_ExitsOne()
    {
        CliResult result = await CliRun.RunAsync(["forecast"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("forecast", result.Error, StringComparison.Ordinal);
        Assert.Contains("Run 'musubi-costs --help' for usage.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_NoCommand_ExitsOne()
    {
        CliResult result = await CliRun.RunAsync([]);

        Assert.Equal(1, result.ExitCode);
    }

    [Fact]
    public async Task Output_OnATerminal_IsATableWithColour()
    {
        await LedgerSeed.RecordSampleAsync(_folder.Database);

        CliResult result = await CliRun.RunAsync(["report", "--db", _folder.Database], terminal: true);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\u001b[", result.Output, StringComparison.Ordinal);
        Assert.Contains("│", result.Output, StringComparison.Ordinal);
        Assert.Contains("$0.03", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_OnATerminalWithNoColor_IsPlainText()
    {
        await LedgerSeed.RecordSampleAsync(_folder.Database);

        CliResult result = await CliRun.RunAsync(["report", "--db", _folder.Database], terminal: true, variables: new() { ["NO_COLOR"] = "1" });

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("\u001b", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("│", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("estimate", "--model", "gpt-4", "--tokens", "1000")]
    [InlineData("pricing")]
    [InlineData("pricing", "gpt-4o")]
    public async Task Output_Redirected_HasNoEscapeCodes(params string[] args)
    {
        CliResult plain = await CliRun.RunAsync(args);
        CliResult terminal = await CliRun.RunAsync(args, terminal: true);

        Assert.Equal(0, plain.ExitCode);
        Assert.DoesNotContain("\u001b", plain.Output, StringComparison.Ordinal);
        Assert.Contains("\u001b[", terminal.Output, StringComparison.Ordinal);
    }
}
