using System.Globalization;
using System.Text;
using Musubi.Monitoring.Quality.Cli.Output;
using Spectre.Console;

namespace Musubi.Monitoring.Quality.Cli.Quality;

/// <summary>Prints a quality evaluation and gate result in the requested format.</summary>
internal static class QualityOutput
{
    /// <summary>The width of the dashboard when the terminal's is unknown (redirected output, a CI log).</summary>
    public const int DefaultWidth = 160;

    /// <summary>Status words and marks of the text dashboard, and the colour each gets on a terminal.</summary>
    private static readonly (string Text, string Colour)[] s_marks =
    [
        ("✔ HEALTHY", "green"), ("⚠ WARNING", "yellow"), ("✖ CRITICAL", "red"), ("? UNKNOWN", "grey"),
        ("[OK]", "green"), ("[WARN]", "yellow"), ("[CRIT]", "red"), ("[UNKNOWN]", "grey"),
        ("✔ PASSED", "green"), ("✖ FAILED", "red"), ("[PASS]", "green"), ("[FAIL]", "red"),
    ];

    /// <summary>
    /// Writes the dashboard and/or the gate: as text, the dashboard (with the gate's section under <c>--gate</c>) or the
    /// gate alone; as Markdown or JSON, the whole report, with the gate under <c>--gate</c>.
    /// </summary>
    /// <param name="context">Where to write; a terminal gets coloured status words.</param>
    /// <param name="request">The request (format, dashboard, gate, ASCII).</param>
    /// <param name="evaluation">The evaluation.</param>
    /// <param name="gate">The gate's result; <see langword="null"/> without <c>--gate</c>.</param>
    public static void Write(CliContext context, QualityRequest request, QualityEvaluation evaluation, QualityGateResult? gate)
    {
        switch (request.Format)
        {
            case "markdown":
                context.Output.Write(QualityDashboard.ToMarkdown(evaluation, gate));
                return;
            case "json":
                context.Output.Write(QualityDashboard.ToJson(evaluation, gate));
                context.Output.Write('\n');
                return;
        }

        bool unicode = context.Unicode && !request.Ascii;
        int width = Math.Clamp(context.Width ?? DefaultWidth, QualityDashboardOptions.MinWidth, QualityDashboardOptions.MaxWidth);
        string text = request.Dashboard
            ? QualityDashboard.ToText(evaluation, gate, new QualityDashboardOptions { Width = width, Unicode = unicode })
            : GateText(gate!, unicode);
        if (context.IsTerminal)
        {
            // The text is laid out already: Spectre.Console colours it and must not wrap it again.
            IAnsiConsole console = Terminal.Create(context, QualityDashboardOptions.MaxWidth);
            console.Markup(Colour(text));
        }
        else
        {
            context.Output.Write(text);
        }
    }

    /// <summary>The gate alone: a PASSED/FAILED line and every condition's actual and expected value.</summary>
    /// <param name="gate">The gate's result.</param>
    /// <param name="unicode">Whether to use Unicode marks.</param>
    /// <returns>The text, culture-invariant, lines ending with <c>\n</c>.</returns>
    public static string GateText(QualityGateResult gate, bool unicode)
    {
        var text = new StringBuilder();
        string count = gate.Conditions.Count == 1 ? "1 condition" : gate.Conditions.Count.ToString(CultureInfo.InvariantCulture) + " conditions";
        text.Append(gate.Passed
            ? $"Quality gate: {(unicode ? "✔ PASSED" : "[PASS]")} ({count})\n"
            : string.Create(CultureInfo.InvariantCulture, $"Quality gate: {(unicode ? "✖ FAILED" : "[FAIL]")} ({gate.Failures.Count} of {count} failed)\n"));
        foreach (QualityGateConditionResult condition in gate.Conditions)
        {
            string mark = (condition.Outcome, unicode) switch
            {
                (QualityGateOutcome.Passed, true) => "✔",
                (QualityGateOutcome.Passed, false) => "[OK]",
                (QualityGateOutcome.Skipped, true) => "- skipped:",
                (QualityGateOutcome.Skipped, false) => "[SKIP]",
                (_, true) => "✖",
                _ => "[FAIL]",
            };
            text.Append("  ").Append(mark).Append(' ').Append(condition.ToString()).Append('\n');
        }

        return text.ToString();
    }

    private static string Colour(string text)
    {
        string markup = Markup.Escape(text);
        foreach ((string mark, string colour) in s_marks)
        {
            string escaped = Markup.Escape(mark);
            markup = markup.Replace(escaped, $"[{colour}]{escaped}[/]", StringComparison.Ordinal);
        }

        return markup;
    }
}
