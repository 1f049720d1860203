namespace Musubi.Monitoring.Quality.Tests.Evaluation;

public sealed class QualityConfigurationTests
{
    [Fact]
    public void Parse_ThresholdNumbers_AreReadExactlyAsDecimal()
    {
        QualityConfiguration config = QualityConfiguration.Parse("""
            {"thresholds": {"line_coverage": {"healthy": 80.0000000000000000001, "critical": 0.1}}}
            """);

        Assert.True(config.Thresholds.TryGet(QualityMetrics.LineCoverage, out QualityThreshold line));
        Assert.Equal(80.0000000000000000001m, line.Healthy);
        Assert.Equal(0.1m, line.Critical);
        Assert.Equal(QualityStatus.Warning, line.Evaluate(80m));
    }

    [Fact]
    public void Parse_MissingMetrics_KeepTheirDefaults()
    {
        QualityConfiguration config = QualityConfiguration.Parse("""{"thresholds": {"line_coverage": {"healthy": 85, "critical": 70}}}""");

        Assert.Equal(QualityThresholdSet.Default.Count, config.Thresholds.Count);
        Assert.True(config.Thresholds.TryGet(QualityMetrics.BranchCoverage, out QualityThreshold branch));
        Assert.Equal(new QualityThreshold(QualityMetrics.BranchCoverage, 70m, 50m), branch);
        Assert.True(config.Thresholds.TryGet(QualityMetrics.LineCoverage, out QualityThreshold line));
        Assert.Equal(new QualityThreshold(QualityMetrics.LineCoverage, 85m, 70m), line);
        Assert.Null(config.Gate);
    }

    [Fact]
    public void Parse_EmptyObject_IsTheDefaults()
    {
        QualityConfiguration config = QualityConfiguration.Parse("{}");

        Assert.Equal(QualityThresholds.Defaults, config.Thresholds.Thresholds);
        Assert.Null(config.Gate);
    }

    [Fact]
    public void Parse_PartialEntryOfADefaultMetric_TakesTheRestFromTheDefault()
    {
        QualityConfiguration config = QualityConfiguration.Parse("""{"thresholds": {"flaky_tests": {"critical": 5}}}""");

        Assert.True(config.Thresholds.TryGet(QualityMetrics.FlakyTests, out QualityThreshold flaky));
        Assert.Equal(new QualityThreshold(QualityMetrics.FlakyTests, 0m, 5m, ThresholdDirection.LowerIsBetter), flaky);
    }

    [Fact]
    public void Parse_NewMetricWithDirectionAndComments_IsAdded()
    {
        QualityConfiguration config = QualityConfiguration.Parse("""
            {
              // host-fed metrics
              "thresholds": {
                "complexity": {"healthy": 10, "critical": 20, "direction": "lowerIsBetter"},
                "documentation": {"healthy": 90, "critical": 50},
              },
            }
            """);

        Assert.True(config.Thresholds.TryGet("complexity", out QualityThreshold complexity));
        Assert.Equal(ThresholdDirection.LowerIsBetter, complexity.Direction);
        Assert.True(config.Thresholds.TryGet("documentation", out QualityThreshold doc));
        Assert.Equal(ThresholdDirection.HigherIsBetter, doc.Direction);
    }

    [Fact]
    public void Parse_NullEntry_RemovesTheThreshold()
    {
        QualityConfiguration config = QualityConfiguration.Parse("""{"thresholds": {"method_coverage": null}}""");

        Assert.False(config.Thresholds.TryGet(QualityMetrics.MethodCoverage, out _));
    }

    [Theory]
    [InlineData("""{"thresholds": {"line_coverage": {"healthy": "80", "critical": 60}}}""", "thresholds.line_coverage.healthy", "\"80\"")]
    [InlineData("""{"thresholds": {"line_coverage": {"healthy": 60, "critical": 80}}}""", "thresholds.line_coverage", "80")]
    [InlineData("""{"thresholds": {"line_coverage": {"healthy": 80, "critcal": 60}}}""", "thresholds.line_coverage", "critcal")]
    [InlineData("""{"thresholds": {"documentation": {"healthy": 80}}}""", "thresholds.documentation", "critical")]
    [InlineData("""{"thresholds": {"flaky_tests": {"direction": "down"}}}""", "thresholds.flaky_tests.direction", "\"down\"")]
    [InlineData("""{"thresholds": {"bad metric": {"healthy": 1, "critical": 0}}}""", "thresholds.bad metric", "bad metric")]
    [InlineData("""{"thresholds": {"line_coverage": {"healthy": 1e400, "critical": 0}}}""", "thresholds.line_coverage.healthy", "1e400")]
    [InlineData("""{"thresholds": {"line_coverage": 80}}""", "thresholds.line_coverage", "80")]
    [InlineData("""{"thresholds": [1]}""", "\"thresholds\"", "[1]")]
    [InlineData("""{"threshold": {}}""", "top level", "\"threshold\"")]
    [InlineData("""[]""", "JSON object", "array")]
    [InlineData("""{"gate": [{"metric": "line_coverage", "operator": "about", "value": 80}]}""", "gate[0].operator", "\"about\"")]
    [InlineData("""{"gate": [{"metric": "line_coverage", "operator": "atLeast"}]}""", "gate[0] (line_coverage)", "\"value\"")]
    [InlineData("""{"gate": [{"metric": "line_coverage", "operator": "atLeast", "value": 80, "ignoreUnknown": "yes"}]}""", "gate[0].ignoreUnknown", "\"yes\"")]
    [InlineData("""{"gate": [{"metric": 3, "operator": "atLeast", "value": 80}]}""", "gate[0].metric", "3")]
    [InlineData("""{"gate": [{"metric": "x", "operator": "atLeast", "value": 80}, 7]}""", "gate[1]", "7")]
    [InlineData("""{"gate": []}""", "\"gate\"", "empty")]
    [InlineData("""{"gate": {"metric": "x"}}""", "\"gate\"", "object")]
    public void Parse_BadEntry_ThrowsNamingSourceEntryAndValue(string json, string entry, string value)
    {
        var e = Assert.Throws<QualityConfigurationException>(() => QualityConfiguration.Parse(json, "ci/quality.json"));

        Assert.StartsWith("ci/quality.json: ", e.Message);
        Assert.Contains(entry, e.Message);
        Assert.Contains(value, e.Message);
        Assert.Equal("ci/quality.json", e.File);
    }

    [Fact]
    public void Parse_CriticalAboveHealthy_OneLineMessageWithoutTheArgumentExceptionSuffix()
    {
        var e = Assert.Throws<QualityConfigurationException>(() =>
            QualityConfiguration.Parse("""{"thresholds": {"line_coverage": {"healthy": 50, "critical": 70}}}""", "ci/quality.json"));

        Assert.Equal("ci/quality.json: thresholds.line_coverage: The critical threshold 70 of 'line_coverage' must be at or below its healthy threshold 50.", e.Message);
    }

    [Theory]
    [InlineData("""{"thresholds": {"line_coverage": {"healthy": 80""")]
    [InlineData("not json")]
    [InlineData("")]
    public void Parse_MalformedJson_ThrowsNamingTheSource(string json)
    {
        var e = Assert.Throws<QualityConfigurationException>(() => QualityConfiguration.Parse(json));

        Assert.StartsWith("<json>: not valid JSON", e.Message);
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(e.InnerException);
    }

    [Theory]
    [InlineData("""{"thresholds": {"line_coverage": {"healthy": 80, "healthy": 90, "critical": 60}}}""")]
    [InlineData("""{"gate": [], "gate": []}""")]
    [InlineData("""{"thresholds": {"line_coverage": null, "line_coverage": {"healthy": 80, "critical": 60}}}""")]
    public void Parse_RepeatedProperty_IsRefused(string json)
    {
        var e = Assert.Throws<QualityConfigurationException>(() => QualityConfiguration.Parse(json, "q.json"));

        Assert.StartsWith("q.json: not valid JSON", e.Message);
    }

    [Fact]
    public void Parse_ExponentNumber_IsExact()
    {
        QualityConfiguration config = QualityConfiguration.Parse("""{"thresholds": {"line_coverage": {"healthy": 8.0001e1, "critical": 6E1}}}""");

        Assert.True(config.Thresholds.TryGet(QualityMetrics.LineCoverage, out QualityThreshold line));
        Assert.Equal(80.001m, line.Healthy);
        Assert.Equal(60m, line.Critical);
    }

    [Fact]
    public void Parse_ThresholdFromJson_79999IsBelowItsEighty()
    {
        QualityThresholdSet thresholds = QualityConfiguration.Parse("""{"thresholds": {"line_coverage": {"healthy": 80.000, "critical": 79.9990001}}}""").Thresholds;
        QualitySnapshot snapshot = Snapshots.Of(QualityMeasurement.Ratio(QualityMetrics.LineCoverage, 79_999, 100_000, "no coverable lines"));

        Assert.Equal(QualityStatus.Critical, QualityEvaluation.Evaluate(snapshot, thresholds).Overall);
    }

    [Fact]
    public void Parse_Gate_ReadsConditionsWithWordsAndSymbols()
    {
        QualityConfiguration config = QualityConfiguration.Parse("""
            {"gate": [
              {"metric": "line_coverage", "operator": "atLeast", "value": 80},
              {"metric": "flaky_tests", "operator": "<=", "value": 0},
              {"metric": "test_pass_rate", "operator": "greaterThan", "value": 99.5},
              {"metric": "complexity", "operator": "<", "value": 12.25},
              {"metric": "new_line_coverage", "operator": "AtLeast", "value": 90, "ignoreUnknown": true}
            ]}
            """);

        QualityGate gate = Assert.IsType<QualityGate>(config.Gate);
        Assert.Equal(
            [
                new QualityGateCondition("line_coverage", QualityGateOperator.AtLeast, 80m),
                new QualityGateCondition("flaky_tests", QualityGateOperator.AtMost, 0m),
                new QualityGateCondition("test_pass_rate", QualityGateOperator.GreaterThan, 99.5m),
                new QualityGateCondition("complexity", QualityGateOperator.LessThan, 12.25m),
                new QualityGateCondition("new_line_coverage", QualityGateOperator.AtLeast, 90m) { IgnoreUnknown = true },
            ],
            gate.Conditions);
        Assert.Equal(QualityThresholds.Defaults, config.Thresholds.Thresholds);
    }

    [Fact]
    public void Load_RealFile_ReadsThresholdsAndGate()
    {
        string path = Path.Combine(Path.GetTempPath(), $"musubi-quality-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """
            {
              "thresholds": {"line_coverage": {"healthy": 90, "critical": 75}},
              "gate": [{"metric": "line_coverage", "operator": "atLeast", "value": 85}]
            }
            """);
        try
        {
            QualityConfiguration config = QualityConfiguration.Load(path);

            Assert.True(config.Thresholds.TryGet(QualityMetrics.LineCoverage, out QualityThreshold line));
            Assert.Equal(90m, line.Healthy);
            Assert.Equal(85m, Assert.Single(config.Gate!.Conditions).Value);
            Assert.Equal(90m, QualityThresholdSet.Load(path).Thresholds[0].Healthy);
            Assert.Equal(85m, QualityGate.Load(path).Conditions[0].Value);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_FileWithoutGate_GateLoadReturnsTheDefault()
    {
        string path = Path.Combine(Path.GetTempPath(), $"musubi-quality-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{}");
        try
        {
            Assert.Same(QualityGate.Default, QualityGate.Load(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_MissingFile_ThrowsNamingTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}", "quality.json");

        var e = Assert.Throws<QualityConfigurationException>(() => QualityConfiguration.Load(path));

        Assert.StartsWith(path + ": cannot read the thresholds file", e.Message);
        Assert.Equal(path, e.File);
    }

    [Fact]
    public void Load_BadEntryInFile_ThrowsNamingFileMetricAndValue()
    {
        string path = Path.Combine(Path.GetTempPath(), $"musubi-quality-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{"thresholds": {"branch_coverage": {"healthy": true}}}""");
        try
        {
            var e = Assert.Throws<QualityConfigurationException>(() => QualityConfiguration.Load(path));

            Assert.Equal($"{path}: thresholds.branch_coverage.healthy: expected a number, not true.", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_NullOrEmptyPath_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => QualityConfiguration.Load(null!));
        Assert.Throws<ArgumentException>(() => QualityConfiguration.Load(""));
        Assert.Throws<ArgumentNullException>(() => QualityConfiguration.Parse(null!));
    }
}
