using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Musubi.Monitoring.Quality.Tests.Evaluation;

namespace Musubi.Monitoring.Quality.Tests.Rendering;

/// <summary>
/// Dashboards compared with the files under <c>Rendering/Golden/</c> byte for byte. To accept a deliberate change, run
/// the tests once with <c>MUSUBI_UPDATE_GOLDEN=1</c> (they rewrite the files in the source tree and fail), read the
/// diff of the files, then run the tests again without it.
/// </summary>
public sealed class QualityDashboardGoldenTests
{
    internal static QualitySnapshot Hostile() => new(
        Snapshots.At,
        [
            QualityMeasurement.Ratio(QualityMetrics.LineCoverage, 79_999, 100_000, "no coverable lines"),
            QualityMeasurement.Ratio(QualityMetrics.BranchCoverage, 0, 0, "no branches | <b>none</b>"),
            QualityMeasurement.Ratio(QualityMetrics.MethodCoverage, 2, 3, "no methods"),
            QualityMeasurement.Ratio(QualityMetrics.TestPassRate, 199, 200, "no test results"),
            QualityMeasurement.Known(QualityMetrics.FlakyTests, 4m, QualityUnit.Count),
            QualityMeasurement.Known("documentation", 87.5m, QualityUnit.Percent),
            QualityMeasurement.Known("complexity", 12.3456m, QualityUnit.Number),
        ],
        sources: ["reports/coverage.cobertura.xml", "reports/a|b_*c*.trx"],
        warnings: ["reports/old.xml: skipped, truncated XML\n# not a heading", "- not a list <script>x</script>"]);

    internal static QualityThresholdSet Thresholds() =>
        QualityThresholdSet.Default.With(new QualityThreshold("complexity", 10m, 15m, ThresholdDirection.LowerIsBetter));

    internal static QualityGate Gate() => new(
    [
        new QualityGateCondition(QualityMetrics.LineCoverage, QualityGateOperator.AtLeast, 80m),
        new QualityGateCondition(QualityMetrics.BranchCoverage, QualityGateOperator.AtLeast, 70m),
        new QualityGateCondition(QualityMetrics.FlakyTests, QualityGateOperator.LessThan, 5m),
        new QualityGateCondition(QualityMetrics.NewLineCoverage, QualityGateOperator.AtLeast, 90m) { IgnoreUnknown = true },
    ]);

    [Theory]
    [InlineData("dashboard-unicode-100.txt")]
    [InlineData("dashboard-ascii-60.txt")]
    [InlineData("report.md")]
    [InlineData("report.json")]
    public void Render_HostileSnapshotUnderAnotherCulture_MatchesGoldenFileByteForByte(string file)
    {
        CultureInfo culture = CultureInfo.CurrentCulture;
        string text;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("fr-FR");
            QualitySnapshot snapshot = Hostile();
            QualityEvaluation evaluation = QualityEvaluation.Evaluate(snapshot, Thresholds());
            QualityGateResult gate = Gate().Evaluate(snapshot);
            text = file switch
            {
                "dashboard-unicode-100.txt" => QualityDashboard.ToText(evaluation, gate, new QualityDashboardOptions { Width = 100 }),
                "dashboard-ascii-60.txt" => QualityDashboard.ToText(evaluation, gate, new QualityDashboardOptions { Width = 60, Unicode = false }),
                "report.md" => QualityDashboard.ToMarkdown(evaluation, gate),
                _ => QualityDashboard.ToJson(evaluation, gate),
            };
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }

        byte[] actual = Encoding.UTF8.GetBytes(text);
        if (Environment.GetEnvironmentVariable("MUSUBI_UPDATE_GOLDEN") == "1")
        {
            string path = Path.Combine(SourceDirectory(), "Golden", file);
            File.WriteAllBytes(path, actual);
            Assert.Fail($"Wrote {path}; review its diff, then run the tests again without MUSUBI_UPDATE_GOLDEN.");
        }

        byte[] expected = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Rendering", "Golden", file));
        if (!expected.AsSpan().SequenceEqual(actual))
        {
            Assert.Equal(Encoding.UTF8.GetString(expected), text);
            Assert.Fail($"The bytes of {file} differ although the text is equal (encoding or BOM).");
        }
    }

    [Fact]
    public void ToJson_Values_AreExactDecimalNumbers()
    {
        QualitySnapshot snapshot = Hostile();
        string json = QualityDashboard.ToJson(QualityEvaluation.Evaluate(snapshot, Thresholds()), Gate().Evaluate(snapshot));

        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement metrics = document.RootElement.GetProperty("metrics");
        Assert.Equal(79.999m, metrics[0].GetProperty("value").GetDecimal());
        Assert.Equal(2m * 100m / 3m, metrics[2].GetProperty("value").GetDecimal());
        Assert.Equal(JsonValueKind.Null, metrics[1].GetProperty("value").ValueKind);
        Assert.Equal("no branches | <b>none</b>", metrics[1].GetProperty("unknownReason").GetString());
        Assert.Equal(JsonValueKind.Null, metrics[5].GetProperty("threshold").ValueKind);
        Assert.Equal("critical", document.RootElement.GetProperty("overall").GetString());
        JsonElement gate = document.RootElement.GetProperty("gate");
        Assert.False(gate.GetProperty("passed").GetBoolean());
        Assert.Equal(79.999m, gate.GetProperty("conditions")[0].GetProperty("actual").GetDecimal());
        Assert.Equal("notMeasured", gate.GetProperty("conditions")[1].GetProperty("outcome").GetString());
        Assert.Equal("skipped", gate.GetProperty("conditions")[3].GetProperty("outcome").GetString());
    }

    [Fact]
    public void ToJson_WithoutGate_WritesNullGate()
    {
        using JsonDocument document = JsonDocument.Parse(QualityDashboard.ToJson(QualityEvaluation.Evaluate(Snapshots.Of())));

        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("gate").ValueKind);
        Assert.Equal("unknown", document.RootElement.GetProperty("overall").GetString());
        Assert.Equal(0, document.RootElement.GetProperty("metrics").GetArrayLength());
    }

    [Fact]
    public void ToMarkdown_HostileText_CannotAddColumnsBlocksOrHtml()
    {
        QualitySnapshot snapshot = Hostile();
        string md = QualityDashboard.ToMarkdown(QualityEvaluation.Evaluate(snapshot, Thresholds()), Gate().Evaluate(snapshot));

        Assert.DoesNotContain("<b>", md);
        Assert.DoesNotContain("<script>", md);
        Assert.Contains("not measured: no branches \\| \\<b\\>none\\</b\\>", md);
        Assert.Contains("- \\- not a list", md);
        Assert.Contains("skipped, truncated XML \\# not a heading", md);
        string[] rows = [.. md.Split('\n').Where(l => l.StartsWith('|'))];
        Assert.Equal(2 + 7 + 2 + 4, rows.Length);
        Assert.All(rows.Take(9), l => Assert.Equal(6, UnescapedPipes(l)));
        Assert.All(rows.Skip(9), l => Assert.Equal(4, UnescapedPipes(l)));
    }

    [Fact]
    public void ToMarkdown_And_ToJson_NullEvaluation_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => QualityDashboard.ToMarkdown(null!));
        Assert.Throws<ArgumentNullException>(() => QualityDashboard.ToJson(null!));
    }

    private static int UnescapedPipes(string line) => line.Where((c, i) => c == '|' && (i == 0 || line[i - 1] != '\\')).Count();

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
