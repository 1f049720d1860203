using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring.Quality.Cli.Tests.Support;

namespace Musubi.Monitoring.Quality.Cli.Tests.Quality;

public sealed class QualityCommandTests : IDisposable
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 4, 10, 30, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("musubi-validate-").FullName;
    private readonly FakeTimeProvider _time = new(s_now);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    private string Copy(string fixture, string relativePath)
    {
        string target = Path.Combine(_folder, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(Fixture(fixture), target);
        return target;
    }

    private string Write(string relativePath, string content)
    {
        string target = Path.Combine(_folder, relativePath);
        File.WriteAllText(target, content);
        return target;
    }

    private Task<CliRun> RunAsync(params string[] args) => CliRun.RunAsync(_time, _folder, ["quality", .. args]);

    [Fact]
    public async Task Dashboard_GivenReports_PrintsEveryMetricWithExactCutValues()
    {
        CliRun run = await RunAsync("--dashboard", "--coverage", Fixture("cart.cobertura.xml"), "--tests", Fixture("cart.trx"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, run.Error);
        Assert.Contains("Quality dashboard - 2026-12-04 10:30:00Z", run.Output);
        // 7 of 9 lines is 77.777…%: shown cut to 77.77%, never rounded up to 77.78%.
        Assert.Matches(@"(?m)^line_coverage\s+77\.77%\s+\[WARN\]", run.Output);
        Assert.Matches(@"(?m)^branch_coverage\s+50\.00%\s+\[WARN\]", run.Output);
        Assert.Matches(@"(?m)^method_coverage\s+100\.00%\s+\[OK\]", run.Output);
        Assert.Matches(@"(?m)^test_pass_rate\s+100\.00%\s+\[OK\]", run.Output);
        Assert.Matches(@"(?m)^failed_tests\s+0\s+\[OK\]", run.Output);
        Assert.Contains("Overall: [WARN]", run.Output);
        Assert.Contains(Path.Combine("Fixtures", "cart.cobertura.xml"), run.Output);
        Assert.DoesNotContain("Gate", run.Output);
        Assert.DoesNotContain('\u001b', run.Output);
    }

    [Fact]
    public async Task Dashboard_MethodWithoutBranches_BranchCoverageIsUnknownNot100()
    {
        CliRun run = await RunAsync("--dashboard", "--coverage", Fixture("nobranches.cobertura.xml"));

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"(?m)^branch_coverage\s+UNKNOWN", run.Output);
        Assert.Matches(@"(?m)^line_coverage\s+100\.00%\s+\[OK\]", run.Output);
        Assert.Contains("branch_coverage: no branches", run.Output);
        Assert.Contains("test_pass_rate: no test results", run.Output);
    }

    [Fact]
    public async Task Dashboard_NoOptions_FindsReportsUnderTheCurrentFolder()
    {
        string coverage = Copy("cart.cobertura.xml", Path.Combine("TestResults", "3f2a", "coverage.cobertura.xml"));
        string trx = Copy("cart.trx", Path.Combine("TestResults", "run.trx"));
        // Build output is skipped: a copy of a report under bin/ is not a result.
        Copy("failing.trx", Path.Combine("tests", "bin", "Debug", "old.trx"));

        CliRun run = await RunAsync("--dashboard");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains(coverage, run.Output);
        Assert.Contains(trx, run.Output);
        Assert.DoesNotContain("old.trx", run.Output);
        Assert.Matches(@"(?m)^failed_tests\s+0\s+\[OK\]", run.Output);
    }

    [Fact]
    public async Task Dashboard_NothingFound_SaysSoAndShowsUnknown()
    {
        CliRun run = await RunAsync("--dashboard");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"No **/coverage.cobertura.xml or **/*.trx under '{_folder}'", run.Error);
        Assert.Matches(@"(?m)^line_coverage\s+UNKNOWN", run.Output);
        Assert.Contains("Overall: [UNKNOWN]", run.Output);
    }

    [Fact]
    public async Task Dashboard_BadReports_NameEachFileAndTheOthersStillLoad()
    {
        string truncated = Copy("truncated.cobertura.xml", "truncated.cobertura.xml");
        string binary = Path.Combine(_folder, "binary.xml");
        File.WriteAllBytes(binary, [0x00, 0x01, 0xFF, 0xFE, 0x00, 0x7F, 0x80]);
        string missing = Path.Combine(_folder, "missing.xml");

        CliRun run = await RunAsync("--dashboard", "--coverage", truncated, binary, missing, Fixture("cart.cobertura.xml"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains(truncated, run.Error);
        Assert.Contains(binary, run.Error);
        Assert.Contains(missing, run.Error);
        Assert.Equal(3, run.Error.ReplaceLineEndings("\n").TrimEnd().Split('\n').Length);
        Assert.Matches(@"(?m)^line_coverage\s+77\.77%", run.Output);
    }

    [Fact]
    public async Task Dashboard_RelativePaths_ResolveAgainstTheCurrentFolder()
    {
        Copy("cart.cobertura.xml", Path.Combine("cov", "c.xml"));

        CliRun run = await RunAsync("--dashboard", "--coverage", Path.Combine("cov", "c.xml"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, run.Error);
        Assert.Matches(@"(?m)^line_coverage\s+77\.77%", run.Output);
    }

    [Fact]
    public async Task Gate_DefaultGateBelow80_Exits1ListingTheFailingCondition()
    {
        CliRun run = await RunAsync("--gate", "--coverage", Fixture("cart.cobertura.xml"), "--tests", Fixture("cart.trx"));

        Assert.Equal(1, run.ExitCode);
        string[] lines = run.Output.ReplaceLineEndings("\n").TrimEnd().Split('\n');
        Assert.Equal("Quality gate: [FAIL] (1 of 3 conditions failed)", lines[0]);
        Assert.StartsWith("  [FAIL] line_coverage is 77.777", lines[1]);
        Assert.EndsWith(", expected at least 80", lines[1]);
        Assert.StartsWith("  [OK] failed_tests is 0", lines[2]);
        Assert.StartsWith("  [SKIP] new_line_coverage", lines[3]);
    }

    [Fact]
    public async Task Gate_ThresholdsFileGate_PassesWhenEveryConditionIsMet()
    {
        string thresholds = Write("quality.json", """
            {
              "thresholds": { "line_coverage": { "healthy": 75, "critical": 60 } },
              "gate": [
                { "metric": "line_coverage", "operator": "atLeast", "value": 77.77 },
                { "metric": "failed_tests", "operator": "atMost", "value": 0 }
              ]
            }
            """);

        CliRun run = await RunAsync("--gate", "--dashboard", "--thresholds", thresholds, "--coverage", Fixture("cart.cobertura.xml"), "--tests", Fixture("cart.trx"));

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"(?m)^line_coverage\s+77\.77%\s+\[OK\]", run.Output);
        Assert.Contains("Gate: [PASS] (2 conditions)", run.Output);
    }

    [Fact]
    public async Task Gate_ValueJustBelowTheCondition_FailsWithoutRounding()
    {
        // 77.777…% against 77.78: a rounded display would pass it.
        string thresholds = Write("quality.json", """{ "gate": [ { "metric": "line_coverage", "operator": "atLeast", "value": 77.78 } ] }""");

        CliRun run = await RunAsync("--gate", "--thresholds", thresholds, "--coverage", Fixture("cart.cobertura.xml"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("[FAIL] line_coverage is 77.777", run.Output);
    }

    [Fact]
    public async Task Gate_FailedTests_Exits1()
    {
        CliRun run = await RunAsync("--gate", "--coverage", Fixture("nobranches.cobertura.xml"), "--tests", Fixture("failing.trx"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("[FAIL] failed_tests is 1, expected at most 0", run.Output);
    }

    [Fact]
    public async Task Gate_NothingMeasured_FailsAsNotMeasured()
    {
        CliRun run = await RunAsync("--gate");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("[FAIL] line_coverage not measured (no coverage report)", run.Output);
    }

    [Fact]
    public async Task Gate_WithBaseline_MeasuresNewCode()
    {
        // The baseline had Clock.cs only: every line of Cart.cs is new.
        CliRun run = await RunAsync("--gate", "--dashboard", "--coverage", Fixture("cart.cobertura.xml"), "--baseline", Fixture("nobranches.cobertura.xml"));

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"(?m)^new_line_coverage\s+77\.77%", run.Output);
        Assert.Contains("[FAIL] new_line_coverage is 77.777", run.Output);
    }

    [Fact]
    public async Task Quality_MissingBaseline_Exits1NamingIt()
    {
        string missing = Path.Combine(_folder, "base.xml");

        CliRun run = await RunAsync("--gate", "--coverage", Fixture("cart.cobertura.xml"), "--baseline", missing);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("--baseline: ", run.Error);
        Assert.Contains(missing, run.Error);
        Assert.Equal(string.Empty, run.Output);
    }

    [Fact]
    public async Task Quality_BadThresholdsFile_Exits1NamingTheFileAndEntry()
    {
        string thresholds = Write("bad.json", """{ "thresholds": { "line_coverage": { "healthy": "eighty" } } }""");

        CliRun run = await RunAsync("--dashboard", "--thresholds", thresholds, "--coverage", Fixture("cart.cobertura.xml"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(thresholds, run.Error);
        Assert.Contains("thresholds.line_coverage.healthy", run.Error);
        Assert.Equal(string.Empty, run.Output);
    }

    [Fact]
    public async Task Quality_MissingThresholdsFile_Exits1NamingIt()
    {
        CliRun run = await RunAsync("--dashboard", "--thresholds", "nope.json");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(Path.Combine(_folder, "nope.json"), run.Error);
    }

    [Theory]
    [InlineData("--coverage")]
    [InlineData("--tests")]
    [InlineData("--baseline")]
    [InlineData("--thresholds")]
    public async Task Quality_EmptyPath_Exits1NamingTheOption(string option)
    {
        CliRun run = await RunAsync("--dashboard", option, "");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{option} has an empty path", run.Error);
        Assert.DoesNotContain("is a directory", run.Error);
    }

    [Fact]
    public async Task Quality_NeitherDashboardNorGate_Exits1()
    {
        CliRun run = await RunAsync("--coverage", Fixture("cart.cobertura.xml"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Give --dashboard, --gate or both.", run.Error);
    }

    [Fact]
    public async Task Quality_Help_ListsTheOptions()
    {
        CliRun run = await RunAsync("--help");

        Assert.Equal(0, run.ExitCode);
        foreach (string option in new[] { "--dashboard", "--gate", "--coverage <files>", "--tests <trx>", "--baseline <file>", "--thresholds <json>", "--format", "--ascii" })
        {
            Assert.Contains(option, run.Output);
        }
    }

    [Fact]
    public async Task Dashboard_UnderACommaCulture_WritesInvariantNumbers()
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            CliRun run = await RunAsync("--dashboard", "--coverage", Fixture("cart.cobertura.xml"));

            Assert.Matches(@"(?m)^line_coverage\s+77\.77%", run.Output);
            Assert.DoesNotContain("77,77", run.Output);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public async Task Dashboard_OnATerminal_ColoursTheStatuses()
    {
        using var output = new StringWriter();
        var context = new CliContext(output, TextWriter.Null, _time, _folder) { IsTerminal = true, Unicode = true, Width = 120 };

        int code = await ValidateCli.RunAsync(["quality", "--dashboard", "--coverage", Fixture("cart.cobertura.xml")], context, TestContext.Current.CancellationToken);

        Assert.Equal(0, code);
        string text = output.ToString();
        Assert.Contains("\u001b[", text);
        Assert.Contains("✔ HEALTHY", text);
        Assert.Contains("⚠ WARNING", text);
    }

    [Fact]
    public async Task Dashboard_Ascii_UsesNoUnicode()
    {
        using var output = new StringWriter();
        var context = new CliContext(output, TextWriter.Null, _time, _folder) { Unicode = true };

        int code = await ValidateCli.RunAsync(["quality", "--dashboard", "--ascii", "--coverage", Fixture("cart.cobertura.xml")], context, TestContext.Current.CancellationToken);

        Assert.Equal(0, code);
        Assert.All(output.ToString(), c => Assert.True(c < 128, $"'{c}' is not ASCII"));
    }

    [Fact]
    public async Task Dashboard_FormatMarkdown_WritesTheMarkdownReport()
    {
        CliRun run = await RunAsync("--dashboard", "--format", "markdown", "--coverage", Fixture("nobranches.cobertura.xml"));

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("# Quality report", run.Output);
        Assert.Contains("| `line_coverage` | 100.00% |", run.Output);
        Assert.Contains("| `branch_coverage` | UNKNOWN |", run.Output);
        Assert.Contains("not measured: no branches", run.Output);
    }

    [Fact]
    public async Task Gate_FormatJson_WritesExactValuesAndTheGate()
    {
        CliRun run = await RunAsync("--gate", "--format", "json", "--coverage", Fixture("cart.cobertura.xml"));

        Assert.Equal(1, run.ExitCode);
        using var json = System.Text.Json.JsonDocument.Parse(run.Output);
        System.Text.Json.JsonElement root = json.RootElement;
        Assert.Equal("2026-12-04T10:30:00+00:00", root.GetProperty("timestamp").GetString());
        System.Text.Json.JsonElement line = root.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == "line_coverage");
        Assert.Equal(7, line.GetProperty("numerator").GetInt64());
        Assert.Equal(9, line.GetProperty("denominator").GetInt64());
        Assert.Equal(7m * 100m / 9m, line.GetProperty("value").GetDecimal());
        Assert.False(root.GetProperty("gate").GetProperty("passed").GetBoolean());
    }
}
