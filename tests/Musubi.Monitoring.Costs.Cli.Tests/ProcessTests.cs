using System.Diagnostics;
using System.Text.Json;

namespace Musubi.Monitoring.Costs.Cli.Tests;

/// <summary>The built tool run as a real process (<c>dotnet musubi-costs.dll …</c>) against a real SQLite file in a temp folder.</summary>
public sealed class ProcessTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Estimate_AsAProcess_PrintsExactCostPlainAndExitsZero()
    {
        (int exitCode, string output, string error) = await RunAsync(["estimate", "--model", "gpt-4", "--tokens", "1000"]);

        Assert.Equal(0, exitCode);
        Assert.Matches(@"\ntotal\s+1000\s+\$0\.03\n", output);
        Assert.DoesNotContain("\u001b", output, StringComparison.Ordinal);
        Assert.Equal(string.Empty, error);
    }

    [Fact]
    public async Task ReportAndBudget_AsAProcess_ReadWhatTheLibraryRecordedInTheSameFile()
    {
        // Records dated around the real clock, since the process reads its own clock.
        DateTimeOffset now = DateTimeOffset.UtcNow;
        await LedgerSeed.RecordAsync(
            _folder.Database,
            LedgerSeed.Usage("gpt-4", 1000, 0, now.AddSeconds(-2)),
            LedgerSeed.Usage("gpt-4", 0, 1000, now.AddSeconds(-1)));

        (int reportCode, string report, _) = await RunAsync(["report", "--format", "json", "--db", _folder.Database]);
        (int setCode, _, _) = await RunAsync(["budget", "set", "0.05", "--db", _folder.Database]);
        (int checkCode, _, string checkError) = await RunAsync(["budget", "status", "--check"], ("MUSUBI_COSTS_DB", _folder.Database));

        Assert.Equal(0, reportCode);
        using JsonDocument json = JsonDocument.Parse(report);
        Assert.Equal("0.09000", json.RootElement.GetProperty("total").GetProperty("total").GetString());
        Assert.Equal(0, setCode);
        Assert.Equal(2, checkCode);
        Assert.Contains("over budget: 'monthly' has spent $0.09 of $0.05", checkError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_AsAProcessWithoutDbOrVariable_ReadsMusubiDbInTheCurrentFolder()
    {
        await LedgerSeed.RecordAsync(_folder.Database, LedgerSeed.Usage("gpt-4", 1000, 1000, DateTimeOffset.UnixEpoch));

        (int exitCode, string output, string error) = await RunAsync(["report", "--format", "csv"]);

        Assert.Equal("musubi.db", Path.GetFileName(_folder.Database));
        Assert.Equal(0, exitCode);
        Assert.EndsWith("Total,1,0,1000,1000,0.09000\r\n", output, StringComparison.Ordinal);
        Assert.Equal(string.Empty, error);
    }

    [Fact]
    public async Task BadInput_AsAProcess_ExitsOne()
    {
        (int period, _, string periodError) = await RunAsync(["report", "--period", "fortnightly", "--db", _folder.Database]);
        (int tokens, _, string tokensError) = await RunAsync(["estimate", "--model", "gpt-4", "--tokens", "-1"]);

        Assert.Equal(1, period);
        Assert.Contains("'fortnightly'", periodError, StringComparison.Ordinal);
        Assert.Equal(1, tokens);
        Assert.Contains("--tokens is -1", tokensError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reset_AsAProcessWithRedirectedInput_RefusesWithoutYes()
    {
        await LedgerSeed.RecordAsync(_folder.Database, LedgerSeed.Usage("gpt-4", 1, 1, DateTimeOffset.UnixEpoch));

        (int exitCode, _, string error) = await RunAsync(["reset", "--db", _folder.Database]);

        Assert.Equal(1, exitCode);
        Assert.Contains("pass --yes to confirm", error, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output, string Error)> RunAsync(string[] args, params (string Name, string Value)[] variables)
    {
        string tool = Path.Combine(AppContext.BaseDirectory, "musubi-costs.dll");
        Assert.True(File.Exists(tool), $"The built tool is missing at {tool}.");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = _folder.Path,
        };
        start.ArgumentList.Add(tool);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("MUSUBI_COSTS_DB");
        start.Environment.Remove("NO_COLOR");
        foreach ((string name, string value) in variables)
        {
            start.Environment[name] = value;
        }

        using Process process = Process.Start(start)!;
        process.StandardInput.Close();
        Task<string> output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        Task<string> error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await error);
    }
}
