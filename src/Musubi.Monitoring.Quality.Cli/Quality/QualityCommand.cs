using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Musubi.Monitoring.Quality.Cli.Quality;

/// <summary>
/// <c>musubi-validate quality --dashboard|--gate [--coverage &lt;files…&gt;] [--tests &lt;trx…&gt;] [--baseline &lt;file&gt;]
/// [--thresholds &lt;json&gt;] [--format text|markdown|json] [--ascii]</c>.
/// </summary>
internal static class QualityCommand
{
    /// <summary>The output formats, as <c>--format</c> accepts them.</summary>
    internal static readonly string[] Formats = ["text", "markdown", "json"];

    /// <summary>Creates the command.</summary>
    /// <param name="context">Where it writes, its clock and its folder.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var dashboard = new Option<bool>("--dashboard")
        {
            Description = "Print the quality dashboard: every metric with its value, status and threshold. Exits 0 whatever the statuses.",
        };
        var gate = new Option<bool>("--gate")
        {
            Description = "Check the quality gate (the thresholds file's \"gate\", or: line_coverage at least 80, failed_tests at most 0, new_line_coverage at least 80 when measured) and exit 1 when it fails, listing the failing conditions.",
        };
        var coverage = new Option<string[]>("--coverage", "-c")
        {
            Description = "Coverage reports (Cobertura, lcov or OpenCover), merged per file and line. Without --coverage and --tests, finds **/coverage.cobertura.xml and **/*.trx under the current folder.",
            AllowMultipleArgumentsPerToken = true,
            HelpName = "files",
        };
        var tests = new Option<string[]>("--tests", "-t")
        {
            Description = "TRX test reports (passed, failed, skipped, flaky).",
            AllowMultipleArgumentsPerToken = true,
            HelpName = "trx",
        };
        var baseline = new Option<string>("--baseline", "-b")
        {
            Description = "A coverage report of the base branch: adds new_line_coverage and new_branch_coverage (lines coverable now that were not in it).",
            HelpName = "file",
        };
        var thresholds = new Option<string>("--thresholds")
        {
            Description = "A JSON file of thresholds and gate conditions ({\"thresholds\":{\"line_coverage\":{\"healthy\":85,\"critical\":70}},\"gate\":[{\"metric\":\"line_coverage\",\"operator\":\"atLeast\",\"value\":80}]}).",
            HelpName = "json",
        };
        var format = new Option<string>("--format", "-f")
        {
            Description = Formats.Length == 1 ? "text." : "text (a table; colour only on a terminal), markdown or json.",
            DefaultValueFactory = _ => "text",
            HelpName = string.Join('|', Formats),
        };
        format.AcceptOnlyFromAmong(Formats);
        var ascii = new Option<bool>("--ascii")
        {
            Description = "Plain ASCII marks and bars ([OK] [WARN] [CRIT], #.) for a terminal or log that cannot show Unicode.",
        };

        var command = new Command(
            "quality",
            "Quality dashboard and gate from real coverage and test reports. Metrics not measured are UNKNOWN, never 100%; " +
            "values are compared exactly (79.999 is below 80). Exit codes: 0 done (gate passed), 1 gate failed or usage error.")
        {
            dashboard,
            gate,
            coverage,
            tests,
            baseline,
            thresholds,
            format,
            ascii,
        };
        command.Validators.Add(result =>
        {
            if (!result.GetValue(dashboard) && !result.GetValue(gate))
            {
                result.AddError("Give --dashboard, --gate or both.");
            }

            // An empty value would resolve to the current folder and be reported as "a directory".
            foreach ((string name, IEnumerable<string?> values) in new (string, IEnumerable<string?>)[]
            {
                ("--coverage", result.GetValue(coverage) ?? []),
                ("--tests", result.GetValue(tests) ?? []),
                ("--baseline", [result.GetValue(baseline)]),
                ("--thresholds", [result.GetValue(thresholds)]),
            })
            {
                if (values.Any(v => v is not null && string.IsNullOrWhiteSpace(v)))
                {
                    result.AddError($"{name} has an empty path; give a file.");
                }
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var request = new QualityRequest(
                parse.GetValue(dashboard),
                parse.GetValue(gate),
                parse.GetResult(coverage) is null ? null : parse.GetValue(coverage) ?? [],
                parse.GetResult(tests) is null ? null : parse.GetValue(tests) ?? [],
                parse.GetValue(baseline),
                parse.GetValue(thresholds),
                parse.GetValue(format) ?? "text",
                parse.GetValue(ascii));
            return await QualityRunner.RunAsync(context, request, cancellationToken);
        });
        return command;
    }
}
