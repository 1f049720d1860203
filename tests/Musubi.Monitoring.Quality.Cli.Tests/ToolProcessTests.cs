using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Musubi.Monitoring.Quality.Cli.Tests.Support;

namespace Musubi.Monitoring.Quality.Cli.Tests;

/// <summary>The built tool run as a real process, as a user or CI runs it (output redirected: plain text).</summary>
public sealed class ToolProcessTests
{
    [Fact]
    public async Task Help_RealProcess_NamesTheToolAndItsCommands()
    {
        CliRun run = await ToolProcess.RunAsync(null, Directory.GetCurrentDirectory(), "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("musubi-validate [command] [options]", run.Output);
        Assert.Contains("health-check", run.Output);
    }

    [Fact]
    public async Task HealthCheck_RealProcessAgainstDegradedHost_Exits2WithPlainText()
    {
        await using HealthHost host = await HealthHost.StartMusubiAsync(b => b
            .AddDependencyCheck("db", _ => Task.FromResult(true))
            .AddDependencyCheck("search", (_, _) => Task.FromResult(HealthCheckResult.Degraded("index rebuilding")), o => o.Critical = false));

        // Redirected output is plain even with a colour-forcing terminal type; NO_COLOR is unset on purpose.
        CliRun run = await ToolProcess.RunAsync(
            new Dictionary<string, string?> { ["NO_COLOR"] = null, ["TERM"] = "xterm-256color" },
            Directory.GetCurrentDirectory(),
            "health-check", "--url", host.Url("health/ready"));

        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}: {run.Error}");
        Assert.DoesNotContain('\u001b', run.Output);
        Assert.Contains(": Degraded (HTTP 200, ", run.Output);
        Assert.Matches(@"(?m)^search\s+Degraded\s+no\s+[0-9.]+ ms\s+index rebuilding\r?$", run.Output);
    }

    [Fact]
    public async Task HealthCheck_RealProcessBadUrl_Exits1NamingIt()
    {
        CliRun run = await ToolProcess.RunAsync(null, Directory.GetCurrentDirectory(), "health-check", "--url", "localhost:5000/health");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--url 'localhost:5000/health' is not an absolute http:// or https:// URL.", run.Error);
    }

    [Fact]
    public async Task QualityDashboard_RealProcessInAFolderOfReports_FindsThemAndExits0()
    {
        string folder = Directory.CreateTempSubdirectory("musubi-validate-process-").FullName;
        try
        {
            string results = Path.Combine(folder, "TestResults", "7c1d");
            Directory.CreateDirectory(results);
            File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "cart.cobertura.xml"), Path.Combine(results, "coverage.cobertura.xml"));
            File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "failing.trx"), Path.Combine(folder, "TestResults", "ci.trx"));

            CliRun dashboard = await ToolProcess.RunAsync(null, folder, "quality", "--dashboard");
            CliRun gate = await ToolProcess.RunAsync(null, folder, "quality", "--gate");

            Assert.True(dashboard.ExitCode == 0, $"exit {dashboard.ExitCode}: {dashboard.Error}");
            Assert.DoesNotContain('\u001b', dashboard.Output);
            Assert.Matches(@"(?m)^line_coverage\s+77\.77%", dashboard.Output);
            Assert.Matches(@"(?m)^failed_tests\s+1\s", dashboard.Output);
            Assert.Equal(1, gate.ExitCode);
            Assert.Contains("failed_tests is 1, expected at most 0", gate.Output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task QualityDashboard_RealProcessWithColumns40_FitsFortyColumns()
    {
        string folder = Directory.CreateTempSubdirectory("musubi-validate-columns-").FullName;
        try
        {
            File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "cart.cobertura.xml"), Path.Combine(folder, "coverage.cobertura.xml"));

            CliRun run = await ToolProcess.RunAsync(new Dictionary<string, string?> { ["COLUMNS"] = "40" }, folder, "quality", "--dashboard", "--gate");

            Assert.True(run.ExitCode == 1, $"exit {run.ExitCode}: {run.Error}");
            Assert.Matches(@"(?m)^line_coverage\s+77\.77%", run.Output);
            Assert.All(run.Output.ReplaceLineEndings("\n").Split('\n'), line => Assert.True(line.Length <= 40, $"{line.Length} columns: {line}"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
