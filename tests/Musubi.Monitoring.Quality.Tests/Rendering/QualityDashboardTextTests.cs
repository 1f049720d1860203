using System.Globalization;
using Musubi.Monitoring.Quality.Tests.Evaluation;

namespace Musubi.Monitoring.Quality.Tests.Rendering;

public sealed class QualityDashboardTextTests
{
    private static QualityEvaluation Mixed() => QualityEvaluation.Evaluate(Snapshots.Mixed());

    private static QualityGateResult Gate() => new QualityGate(
    [
        new QualityGateCondition(QualityMetrics.LineCoverage, QualityGateOperator.AtLeast, 80m),
        new QualityGateCondition(QualityMetrics.TestPassRate, QualityGateOperator.AtLeast, 100m),
        new QualityGateCondition(QualityMetrics.NewLineCoverage, QualityGateOperator.AtLeast, 80m) { IgnoreUnknown = true },
    ]).Evaluate(Snapshots.Mixed());

    private static string Row(string text, string metric) => text.Split('\n').Single(l => l.StartsWith(metric + " ", StringComparison.Ordinal));

    [Fact]
    public void ToText_79999Percent_ShowsAs7999NeverAs80()
    {
        string text = QualityDashboard.ToText(Mixed());

        string row = Row(text, "line_coverage");
        Assert.Contains("79.99%", row);
        Assert.DoesNotContain("80.0", row.Split("healthy")[0]);
        Assert.Contains("⚠ WARNING", row);
    }

    [Theory]
    [InlineData(79.999, "79.99%")]
    [InlineData(79.99999999, "79.99%")]
    [InlineData(80, "80.00%")]
    [InlineData(99.9999, "99.99%")]
    [InlineData(0.001, "0.00%")]
    [InlineData(100, "100.00%")]
    public void ToText_PercentHigherIsBetter_CutsDownNeverRoundsUp(double value, string shown)
    {
        QualityEvaluation evaluation = QualityEvaluation.Evaluate(Snapshots.Of(QualityMeasurement.Known(QualityMetrics.LineCoverage, (decimal)value, QualityUnit.Percent)));

        Assert.Contains(" " + shown + " ", Row(QualityDashboard.ToText(evaluation), "line_coverage"));
    }

    [Fact]
    public void ToText_NumberLowerIsBetter_CutsTowardTheWorseSide()
    {
        QualityThresholdSet thresholds = QualityThresholdSet.Empty.With(new QualityThreshold("complexity", 10m, 10.005m, ThresholdDirection.LowerIsBetter));
        QualityEvaluation evaluation = QualityEvaluation.Evaluate(Snapshots.Of(QualityMeasurement.Known("complexity", 10.001m, QualityUnit.Number)), thresholds);

        string row = Row(QualityDashboard.ToText(evaluation), "complexity");

        Assert.Contains("10.01 ", row); // never 10.00, which would read as healthy
        Assert.Contains("⚠ WARNING", row);
        Assert.Contains("healthy ≤ 10, critical > 10.005", row);
    }

    [Fact]
    public void ToText_Unicode_ShowsMarksBarsGateSourcesAndWarnings()
    {
        string text = QualityDashboard.ToText(Mixed(), Gate(), new QualityDashboardOptions { Width = 120 });

        Assert.StartsWith("Quality dashboard — 2026-03-11 15:30:00Z\nOverall: ✖ CRITICAL\n", text);
        Assert.Contains("███████████████░░░░░", Row(text, "line_coverage")); // 79.999% of 20 cells: 15 full
        Assert.Contains("██████████████████░░", Row(text, "method_coverage"));
        Assert.Contains("✔ HEALTHY", Row(text, "method_coverage"));
        Assert.Contains("? UNKNOWN", Row(text, "branch_coverage"));
        Assert.Contains(" UNKNOWN ", Row(text, "branch_coverage"));
        Assert.Contains("✖ CRITICAL", Row(text, "flaky_tests"));
        Assert.Contains("- no threshold", Row(text, "documentation"));
        Assert.Contains("  branch_coverage: no branches\n", text);
        Assert.Contains("Gate: ✖ FAILED (1 of 3 conditions failed)\n", text);
        Assert.Contains("  ✖ line_coverage is 79.999, expected at least 80\n", text);
        Assert.Contains("  ✔ test_pass_rate is 100, expected at least 100\n", text);
        Assert.Contains("  - new_line_coverage not measured (not in the snapshot), expected at least 80; ignored\n", text);
        Assert.Contains("Sources:\n  tests/coverage.cobertura.xml\n  tests/results.trx\n", text);
        Assert.Contains("Warnings:\n  coverage.cobertura.xml:", text);
    }

    [Fact]
    public void ToText_Ascii_HasOnlyAsciiCharactersAndPlainMarks()
    {
        string text = QualityDashboard.ToText(Mixed(), Gate(), new QualityDashboardOptions { Unicode = false, Width = 120 });

        Assert.All(text, c => Assert.True(c < 128, $"U+{(int)c:X4} is not ASCII"));
        Assert.Contains("[WARN]", Row(text, "line_coverage"));
        Assert.Contains("###############.....", Row(text, "line_coverage"));
        Assert.Contains("[OK]", Row(text, "method_coverage"));
        Assert.Contains("[CRIT]", Row(text, "flaky_tests"));
        Assert.Contains("[UNKNOWN]", Row(text, "branch_coverage"));
        Assert.Contains("healthy >= 80%, critical < 60%", Row(text, "line_coverage"));
        Assert.Contains("Overall: [CRIT]\n", text);
        Assert.Contains("Gate: [FAIL]", text);
    }

    [Fact]
    public void ToText_EveryWidth_NoLineIsWiderAndRowsNeverWrap()
    {
        for (int width = QualityDashboardOptions.MinWidth; width <= 140; width++)
        {
            foreach (bool unicode in new[] { true, false })
            {
                string text = QualityDashboard.ToText(Mixed(), Gate(), new QualityDashboardOptions { Width = width, Unicode = unicode });
                string[] lines = text.Split('\n');

                Assert.All(lines, l => Assert.True(l.Length <= width, $"width {width}: '{l}' has {l.Length} columns"));
                // One row per metric, each on one line starting with its (possibly shortened) id.
                Assert.Single(lines, l => l.StartsWith("line_cov", StringComparison.Ordinal));
                Assert.Single(lines, l => l.StartsWith("flaky_tests", StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void ToText_Narrow_DropsTheBarThenTheThreshold()
    {
        string wide = QualityDashboard.ToText(Mixed(), options: new QualityDashboardOptions { Width = 120 });
        string medium = QualityDashboard.ToText(Mixed(), options: new QualityDashboardOptions { Width = 80 });
        string narrow = QualityDashboard.ToText(Mixed(), options: new QualityDashboardOptions { Width = 40 });

        Assert.Contains("█", wide);
        Assert.Contains("healthy ≥ 80%", wide);
        Assert.DoesNotContain("█", medium);
        Assert.Contains("healthy ≥ 80%", medium);
        Assert.DoesNotContain("█", narrow);
        Assert.DoesNotContain("healthy", narrow);
        Assert.Contains("79.99%", Row(narrow, "line_coverage"));
    }

    [Fact]
    public void ToText_LongMetricIdAtNarrowWidth_IsShortenedWithAnEllipsis()
    {
        string id = "a_very_long_host_metric_id_that_does_not_fit";
        QualityEvaluation evaluation = QualityEvaluation.Evaluate(Snapshots.Of(QualityMeasurement.Known(id, 1m, QualityUnit.Count)));

        string text = QualityDashboard.ToText(evaluation, options: new QualityDashboardOptions { Width = 40 });

        string row = Assert.Single(text.Split('\n'), l => l.StartsWith("a_very", StringComparison.Ordinal));
        Assert.True(row.Length <= 40);
        Assert.Contains("…", row);
        Assert.Contains("- no threshold", row);
    }

    [Fact]
    public void ToText_OtherCulture_IsTheSame()
    {
        CultureInfo culture = CultureInfo.CurrentCulture;
        string invariant = QualityDashboard.ToText(Mixed(), Gate());
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            Assert.Equal(invariant, QualityDashboard.ToText(Mixed(), Gate()));
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public void ToText_NoMetrics_SaysSoAndOverallUnknown()
    {
        string text = QualityDashboard.ToText(QualityEvaluation.Evaluate(Snapshots.Of()));

        Assert.Equal("Quality dashboard — 2026-03-11 15:30:00Z\nOverall: ? UNKNOWN\n\nNo metrics were measured.\n", text);
    }

    [Fact]
    public void ToText_WarningWithLineBreak_CannotBreakTheLayout()
    {
        var snapshot = new QualitySnapshot(Snapshots.At, [], warnings: ["first\nsecond\r\nthird"]);

        string text = QualityDashboard.ToText(QualityEvaluation.Evaluate(snapshot));

        Assert.Contains("Warnings:\n  first second third\n", text);
    }

    [Theory]
    [InlineData(39, 20, "Width", 39)]
    [InlineData(1001, 20, "Width", 1001)]
    [InlineData(80, 4, "BarWidth", 4)]
    [InlineData(80, 101, "BarWidth", 101)]
    public void ToText_OptionOutOfRange_ThrowsNamingIt(int width, int barWidth, string name, int value)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => QualityDashboard.ToText(Mixed(), options: new QualityDashboardOptions { Width = width, BarWidth = barWidth }));

        Assert.Equal(name, e.ParamName);
        Assert.Contains($"QualityDashboardOptions.{name} is {value}", e.Message);
    }

    [Fact]
    public void Options_Defaults()
    {
        var options = new QualityDashboardOptions();

        Assert.Equal(80, options.Width);
        Assert.True(options.Unicode);
        Assert.Equal(20, options.BarWidth);
    }

    [Fact]
    public void ToText_NullEvaluation_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => QualityDashboard.ToText(null!));
    }
}
