using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;

namespace Musubi.Monitoring.Quality.Tests.Health;

public sealed class QualityGateHealthCheckTests
{
    private static ServiceProvider Build(IQualitySource source, Action<MusubiMonitoringBuilder> configure, FakeTimeProvider? time = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(time ?? new FakeTimeProvider(new DateTimeOffset(2026, 3, 11, 15, 30, 0, TimeSpan.Zero)));
        configure(services.AddMusubiMonitoring().AddQuality(o => o.Sources.Add(source)));
        return services.BuildServiceProvider();
    }

    private static async Task<HealthReportEntry> CheckAsync(ServiceProvider provider, string name = "quality-gate")
    {
        HealthReport report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        return report.Entries[name];
    }

    [Fact]
    public async Task Check_GatePasses_IsHealthyWithTheValuesInData()
    {
        var source = new FixedQualitySource(QualityMeasurement.Ratio(QualityMetrics.LineCoverage, 80, 100, "no coverable lines"));
        using ServiceProvider provider = Build(source, b => b.AddQualityGateHealthCheck());

        HealthReportEntry entry = await CheckAsync(provider);

        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal("Quality gate passed (3 conditions); overall HEALTHY.", entry.Description);
        Assert.Equal(true, entry.Data[QualityGateHealthDataKeys.Passed]);
        Assert.Equal(80m, entry.Data[QualityMetrics.LineCoverage]);
        Assert.Equal(["quality"], entry.Tags);
    }

    [Theory]
    [InlineData(80, "Quality gate passed (1 condition); overall UNKNOWN.")]
    [InlineData(79, "Quality gate failed (1 of 1 condition): documentation is 79, expected at least 80.")]
    public async Task Check_OneCondition_SaysConditionNotConditions(int documentation, string description)
    {
        var source = new FixedQualitySource(QualityMeasurement.Known("documentation", documentation, QualityUnit.Percent));
        using ServiceProvider provider = Build(source, b => b
            .AddQuality(o => o.GateConditions.Add(new QualityGateCondition("documentation", QualityGateOperator.AtLeast, 80m)))
            .AddQualityGateHealthCheck());

        HealthReportEntry entry = await CheckAsync(provider);

        Assert.Equal(description, entry.Description);
    }

    [Fact]
    public async Task Check_79999AgainstAtLeast80_IsDegradedListingTheFailure()
    {
        var source = new FixedQualitySource(
            QualityMeasurement.Ratio(QualityMetrics.LineCoverage, 79_999, 100_000, "no coverable lines"),
            QualityMeasurement.Ratio(QualityMetrics.BranchCoverage, 0, 0, "no branches"));
        using ServiceProvider provider = Build(source, b => b
            .AddQuality(o =>
            {
                o.GateConditions.Add(new QualityGateCondition(QualityMetrics.LineCoverage, QualityGateOperator.AtLeast, 80m));
                o.GateConditions.Add(new QualityGateCondition(QualityMetrics.BranchCoverage, QualityGateOperator.AtLeast, 70m));
            })
            .AddQualityGateHealthCheck());

        HealthReportEntry entry = await CheckAsync(provider);

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal(
            "Quality gate failed (2 of 2 conditions): line_coverage is 79.999, expected at least 80; branch_coverage not measured (no branches), expected at least 70.",
            entry.Description);
        Assert.Equal(false, entry.Data[QualityGateHealthDataKeys.Passed]);
        Assert.Equal("WARNING", entry.Data[QualityGateHealthDataKeys.Overall]);
        Assert.Equal("UNKNOWN", entry.Data[QualityMetrics.BranchCoverage]);
        Assert.Equal(2, ((string[])entry.Data[QualityGateHealthDataKeys.Failures]).Length);
    }

    [Fact]
    public async Task Check_UnhealthyFailureStatusAndCustomNameAndTags_AreUsed()
    {
        var source = new FixedQualitySource(QualityMeasurement.Ratio(QualityMetrics.LineCoverage, 1, 100, "no coverable lines"));
        using ServiceProvider provider = Build(source, b => b.AddQualityGateHealthCheck("coverage", HealthStatus.Unhealthy, ["ready", "quality"]));

        HealthReportEntry entry = await CheckAsync(provider, "coverage");

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Equal(["quality", "ready"], entry.Tags.Order());
    }

    [Fact]
    public async Task Check_WithinCacheDuration_ReusesTheSnapshotThenCollectsAgain()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 11, 15, 30, 0, TimeSpan.Zero));
        var source = new FixedQualitySource(QualityMeasurement.Ratio(QualityMetrics.LineCoverage, 90, 100, "no coverable lines"));
        using ServiceProvider provider = Build(source, b => b.AddQuality(o => o.HealthCheckCacheDuration = TimeSpan.FromMinutes(5)).AddQualityGateHealthCheck(), time);

        await CheckAsync(provider);
        time.Advance(TimeSpan.FromMinutes(4));
        await CheckAsync(provider);
        Assert.Equal(1, source.Collections);

        time.Advance(TimeSpan.FromMinutes(1));
        await CheckAsync(provider);
        Assert.Equal(2, source.Collections);
    }

    [Fact]
    public async Task Check_ZeroCacheDuration_CollectsEveryTime()
    {
        var source = new FixedQualitySource(QualityMeasurement.Ratio(QualityMetrics.LineCoverage, 90, 100, "no coverable lines"));
        using ServiceProvider provider = Build(source, b => b.AddQuality(o => o.HealthCheckCacheDuration = TimeSpan.Zero).AddQualityGateHealthCheck());

        await CheckAsync(provider);
        await CheckAsync(provider);

        Assert.Equal(2, source.Collections);
    }

    [Fact]
    public async Task Check_NothingMeasured_FailsAsNotMeasured()
    {
        var source = new FixedQualitySource(() => throw new FileNotFoundException("no coverage.cobertura.xml"));
        using ServiceProvider provider = Build(source, b => b.AddQualityGateHealthCheck());

        HealthReportEntry entry = await CheckAsync(provider);

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("line_coverage not measured (not in the snapshot), expected at least 80", entry.Description);
    }

    [Fact]
    public void AddQualityGateHealthCheck_SameNameTwice_RegistersOneCheck()
    {
        var services = new ServiceCollection();
        services.AddMusubiMonitoring().AddQualityGateHealthCheck().AddQualityGateHealthCheck();

        using ServiceProvider provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<HealthCheckServiceOptions>>().Value;
        Assert.Single(options.Registrations, r => r.Name == "quality-gate");
    }

    [Fact]
    public void AddQualityGateHealthCheck_BadArguments_Throw()
    {
        MusubiMonitoringBuilder builder = new ServiceCollection().AddMusubiMonitoring();

        Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddQualityGateHealthCheck(failureStatus: HealthStatus.Healthy));
        Assert.Throws<ArgumentException>(() => builder.AddQualityGateHealthCheck(" "));
        Assert.Throws<ArgumentException>(() => builder.AddQualityGateHealthCheck(tags: [""]));
    }
}
