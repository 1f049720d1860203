using static Musubi.Monitoring.Quality.Tests.QualitySamples;

namespace Musubi.Monitoring.Quality.Tests.Alerts;

public sealed class QualityAlertsTests
{
    private static readonly QualityThreshold[] s_line = [new(QualityMetrics.LineCoverage, 80m, 60m)];

    [Theory]
    [InlineData(85, 79.999, QualityStatus.Healthy, QualityStatus.Warning, QualityAlertKind.Degraded)]
    [InlineData(70, 59, QualityStatus.Warning, QualityStatus.Critical, QualityAlertKind.Degraded)]
    [InlineData(50, 70, QualityStatus.Critical, QualityStatus.Warning, QualityAlertKind.Improved)]
    [InlineData(70, 80, QualityStatus.Warning, QualityStatus.Healthy, QualityAlertKind.Resolved)]
    [InlineData(10, 100, QualityStatus.Critical, QualityStatus.Healthy, QualityAlertKind.Resolved)]
    public void Detect_StatusChanged_RaisesOneAlert(double before, double after, QualityStatus previous, QualityStatus status, QualityAlertKind kind)
    {
        QualitySnapshot a = Line(T0, (decimal)before), b = Line(T0.AddHours(1), (decimal)after);

        QualityAlert alert = Assert.Single(QualityAlerts.Detect(a, b, s_line));

        Assert.Equal((QualityMetrics.LineCoverage, previous, status, kind), (alert.Metric, alert.PreviousStatus, alert.Status, alert.Kind));
        Assert.Equal((decimal)after, alert.Value);
        Assert.Equal((decimal)before, alert.PreviousValue);
        Assert.Equal(s_line[0], alert.Threshold);
        Assert.Equal((T0.AddHours(1), T0), (alert.Timestamp, alert.PreviousTimestamp!.Value));
    }

    [Fact]
    public void Detect_SameStatus_RaisesNothing()
    {
        Assert.Empty(QualityAlerts.Detect(Line(T0, 50m), Line(T0.AddHours(1), 40m), s_line));
        Assert.Empty(QualityAlerts.Detect(Line(T0, 79m), Line(T0.AddHours(1), 61m), s_line));
    }

    [Fact]
    public void Detect_MetricMissingOrUnknownNow_IsUnmeasured()
    {
        QualityAlert missing = Assert.Single(QualityAlerts.Detect(Line(T0, 85m), Of(T0.AddHours(1)), s_line));
        QualityAlert unknown = Assert.Single(QualityAlerts.Detect(Line(T0, 85m), Of(T0.AddHours(1), Unknown(QualityMetrics.LineCoverage)), s_line));

        Assert.Equal((QualityAlertKind.Unmeasured, QualityStatus.Unknown, (decimal?)null, (QualityMeasurement?)null), (missing.Kind, missing.Status, missing.Value, missing.Measurement));
        Assert.Equal(QualityAlertKind.Unmeasured, unknown.Kind);
        Assert.NotNull(unknown.Measurement);
    }

    [Fact]
    public void Detect_UnknownThenWarning_IsDegraded()
    {
        QualityAlert alert = Assert.Single(QualityAlerts.Detect(Of(T0, Unknown(QualityMetrics.LineCoverage)), Line(T0.AddHours(1), 70m), s_line));

        Assert.Equal((QualityStatus.Unknown, QualityStatus.Warning, QualityAlertKind.Degraded), (alert.PreviousStatus, alert.Status, alert.Kind));
    }

    [Fact]
    public void Detect_NoPrevious_ReportsOnlyWarningAndCritical()
    {
        QualitySnapshot first = Of(T0, Percent(QualityMetrics.LineCoverage, 90m), Percent(QualityMetrics.BranchCoverage, 55m), Unknown(QualityMetrics.MethodCoverage), Count(QualityMetrics.FlakyTests, 2));

        IReadOnlyList<QualityAlert> alerts = QualityAlerts.Detect(null, first, QualityThresholds.Defaults);

        Assert.Equal(
            [(QualityMetrics.BranchCoverage, QualityStatus.Warning), (QualityMetrics.FlakyTests, QualityStatus.Warning)],
            alerts.Select(a => (a.Metric, a.Status)));
        Assert.All(alerts, a => Assert.Null(a.PreviousTimestamp));
    }

    [Fact]
    public void Detect_LowerIsBetter_RisingFlakyCountDegrades()
    {
        QualityThreshold[] flaky = [new(QualityMetrics.FlakyTests, 0m, 3m, ThresholdDirection.LowerIsBetter)];

        QualityAlert alert = Assert.Single(QualityAlerts.Detect(Of(T0, Count(QualityMetrics.FlakyTests, 2)), Of(T0.AddHours(1), Count(QualityMetrics.FlakyTests, 4)), flaky));

        Assert.Equal((QualityStatus.Warning, QualityStatus.Critical, QualityAlertKind.Degraded), (alert.PreviousStatus, alert.Status, alert.Kind));
    }

    [Fact]
    public void ToString_IsInvariant()
    {
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            QualityAlert alert = Assert.Single(QualityAlerts.Detect(Line(T0, 85m), Line(T0.AddHours(1), 79.999m), s_line));

            Assert.Equal("line_coverage Healthy → Warning (79.999, healthy at 80, critical at 60)", alert.ToString());
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Detect_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>("current", () => QualityAlerts.Detect(null, null!, s_line));
        Assert.Throws<ArgumentNullException>("thresholds", () => QualityAlerts.Detect(null, Line(T0, 1m), null!));
    }
}
