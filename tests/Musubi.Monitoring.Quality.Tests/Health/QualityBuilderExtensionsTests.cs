using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Musubi.Monitoring.Quality.Tests.Health;

public sealed class QualityBuilderExtensionsTests
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 11, 15, 30, 0, TimeSpan.Zero);

    private static ServiceProvider Build(Action<MusubiMonitoringBuilder> configure, FakeTimeProvider? time = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time ?? new FakeTimeProvider(s_now));
        configure(services.AddMusubiMonitoring());
        return services.BuildServiceProvider();
    }

    [Fact]
    public void AddQuality_NullBuilder_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => QualityBuilderExtensions.AddQuality(null!));
        Assert.Throws<ArgumentNullException>(() => QualityBuilderExtensions.AddQualityMetric(null!, "x", QualityUnit.Count, _ => ValueTask.FromResult<decimal?>(1m)));
        Assert.Throws<ArgumentNullException>(() => QualityBuilderExtensions.AddQualitySource(null!, _ => new FixedQualitySource()));
        Assert.Throws<ArgumentNullException>(() => QualityBuilderExtensions.AddQualityGateHealthCheck(null!));
    }

    [Fact]
    public void AddQuality_CalledTwice_RegistersOnceAndAppliesBothConfigurations()
    {
        var services = new ServiceCollection();
        services.AddMusubiMonitoring()
            .AddQuality(o => o.Thresholds.Add(new QualityThreshold("documentation", 90m, 50m)))
            .AddQuality(o => o.GateConditions.Add(new QualityGateCondition("documentation", QualityGateOperator.AtLeast, 60m)));

        Assert.Single(services, d => d.ServiceType == typeof(IQualitySource));
        Assert.Single(services, d => d.ServiceType == typeof(QualityConfiguration));
        using ServiceProvider provider = services.BuildServiceProvider();
        QualityConfiguration config = provider.GetRequiredService<QualityConfiguration>();
        Assert.True(config.Thresholds.TryGet("documentation", out _));
        Assert.Equal("documentation", Assert.Single(config.Gate!.Conditions).Metric);
    }

    [Fact]
    public void AddQuality_Defaults_AreTheDefaultThresholdsAndGate()
    {
        using ServiceProvider provider = Build(b => b.AddQuality());

        QualityConfiguration config = provider.GetRequiredService<QualityConfiguration>();

        Assert.Equal(QualityThresholds.Defaults, config.Thresholds.Thresholds);
        Assert.Same(QualityGate.Default, config.Gate);
    }

    [Fact]
    public void Options_Defaults()
    {
        var options = new QualityOptions();

        Assert.Null(options.ConfigurationFile);
        Assert.Empty(options.Thresholds);
        Assert.Empty(options.GateConditions);
        Assert.Empty(options.Sources);
        Assert.Equal(TimeSpan.FromMinutes(1), options.HealthCheckCacheDuration);
    }

    [Fact]
    public async Task AddQualityMetric_HostMetrics_AreMergedWithTheSourcesAtTheProviderTime()
    {
        using ServiceProvider provider = Build(b => b
            .AddQuality(o => o.Sources.Add(new FixedQualitySource(QualityMeasurement.Ratio(QualityMetrics.LineCoverage, 81, 100, "no coverable lines"))))
            .AddQualityMetric("documentation", QualityUnit.Percent, _ => ValueTask.FromResult<decimal?>(87.5m))
            .AddQualityMetric("complexity", QualityUnit.Number, _ => ValueTask.FromResult<decimal?>(null)));

        QualitySnapshot snapshot = await provider.GetRequiredService<IQualitySource>().CollectAsync();

        Assert.Equal(s_now, snapshot.Timestamp);
        Assert.Equal(["line_coverage", "documentation", "complexity"], snapshot.Measurements.Select(m => m.Metric));
        Assert.Equal(87.5m, snapshot.Measurements[1].Value);
        Assert.Equal("the host reported no value", snapshot.Measurements[2].UnknownReason);
        Assert.Equal(["fixed.xml", "host metrics"], snapshot.Sources);
        Assert.Empty(snapshot.Warnings);
    }

    [Fact]
    public async Task AddQualityMetric_ThrowingOrInvalidValue_IsUnknownWithAWarningAndNeverThrows()
    {
        using ServiceProvider provider = Build(b => b
            .AddQualityMetric("documentation", QualityUnit.Percent, _ => ValueTask.FromResult<decimal?>(120m))
            .AddQualityMetric("complexity", QualityUnit.Number, _ => throw new InvalidOperationException("analyzer offline")));

        QualitySnapshot snapshot = await provider.GetRequiredService<IQualitySource>().CollectAsync();

        Assert.All(snapshot.Measurements, m => Assert.False(m.IsKnown));
        Assert.Equal("the host reported 120, which is not a valid percent", snapshot.Measurements[0].UnknownReason);
        Assert.Equal("the host metric threw InvalidOperationException: analyzer offline", snapshot.Measurements[1].UnknownReason);
        Assert.Equal(2, snapshot.Warnings.Count);
    }

    [Fact]
    public async Task Collect_MetricFromSourceAndHost_FirstMeasuredWinsWithAWarning()
    {
        using ServiceProvider provider = Build(b => b
            .AddQuality(o => o.Sources.Add(new FixedQualitySource(
                QualityMeasurement.Known("documentation", 70m, QualityUnit.Percent),
                QualityMeasurement.Ratio(QualityMetrics.LineCoverage, 0, 0, "no coverage report"))))
            .AddQualityMetric("documentation", QualityUnit.Percent, _ => ValueTask.FromResult<decimal?>(99m))
            .AddQualityMetric(QualityMetrics.LineCoverage, QualityUnit.Percent, _ => ValueTask.FromResult<decimal?>(85m)));

        QualitySnapshot snapshot = await provider.GetRequiredService<IQualitySource>().CollectAsync();

        Assert.True(snapshot.TryGet("documentation", out QualityMeasurement doc));
        Assert.Equal(70m, doc.Value);
        Assert.True(snapshot.TryGet(QualityMetrics.LineCoverage, out QualityMeasurement line));
        Assert.Equal(85m, line.Value); // a measured value beats an unknown one
        Assert.Equal(
            ["Metric 'documentation' from host metric documentation was ignored: FixedQualitySource measured it first.",
             "Metric 'line_coverage' from host metric line_coverage replaces the unknown one from FixedQualitySource."],
            snapshot.Warnings);
    }

    [Fact]
    public async Task Collect_FailingSource_IsLeftOutWithAWarningAndTheOthersRemain()
    {
        using ServiceProvider provider = Build(b => b
            .AddQuality(o => o.Sources.Add(new FixedQualitySource(() => throw new IOException("coverage.xml is truncated"))))
            .AddQualitySource(_ => new FixedQualitySource(QualityMeasurement.Known(QualityMetrics.FlakyTests, 0m, QualityUnit.Count))));

        QualitySnapshot snapshot = await provider.GetRequiredService<IQualitySource>().CollectAsync();

        Assert.Equal(QualityMetrics.FlakyTests, Assert.Single(snapshot.Measurements).Metric);
        Assert.Equal("Quality source FixedQualitySource #1 failed and was left out: IOException: coverage.xml is truncated", Assert.Single(snapshot.Warnings));
    }

    [Fact]
    public void AddQualityMetric_SameIdTwiceOrBadArguments_Throws()
    {
        MusubiMonitoringBuilder builder = new ServiceCollection().AddMusubiMonitoring()
            .AddQualityMetric("documentation", QualityUnit.Percent, _ => ValueTask.FromResult<decimal?>(1m));

        var e = Assert.Throws<InvalidOperationException>(() => builder.AddQualityMetric("documentation", QualityUnit.Count, _ => ValueTask.FromResult<decimal?>(1m)));
        Assert.Contains("'documentation'", e.Message);
        Assert.Contains("'doc umentation'", Assert.Throws<ArgumentException>(() => builder.AddQualityMetric("doc umentation", QualityUnit.Count, _ => ValueTask.FromResult<decimal?>(1m))).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddQualityMetric("x", (QualityUnit)9, _ => ValueTask.FromResult<decimal?>(1m)));
        Assert.Throws<ArgumentNullException>(() => builder.AddQualityMetric("x", QualityUnit.Count, null!));
    }

    [Fact]
    public async Task AddQuality_ConfigurationFileAndOverrides_AreResolvedInOrder()
    {
        string path = Path.Combine(Path.GetTempPath(), $"musubi-quality-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, """
            {"thresholds": {"line_coverage": {"healthy": 90, "critical": 75}, "branch_coverage": {"healthy": 60, "critical": 40}},
             "gate": [{"metric": "line_coverage", "operator": "atLeast", "value": 85}]}
            """);
        try
        {
            using ServiceProvider withFile = Build(b => b.AddQuality(o =>
            {
                o.ConfigurationFile = path;
                o.Thresholds.Add(new QualityThreshold(QualityMetrics.BranchCoverage, 65m, 45m));
            }));
            QualityConfiguration config = withFile.GetRequiredService<QualityConfiguration>();
            Assert.True(config.Thresholds.TryGet(QualityMetrics.LineCoverage, out QualityThreshold line));
            Assert.Equal(90m, line.Healthy);
            Assert.True(config.Thresholds.TryGet(QualityMetrics.BranchCoverage, out QualityThreshold branch));
            Assert.Equal(65m, branch.Healthy);
            Assert.Equal(85m, Assert.Single(config.Gate!.Conditions).Value);

            using ServiceProvider overridden = Build(b => b.AddQuality(o =>
            {
                o.ConfigurationFile = path;
                o.GateConditions.Add(new QualityGateCondition(QualityMetrics.TestPassRate, QualityGateOperator.AtLeast, 100m));
            }));
            Assert.Equal(QualityMetrics.TestPassRate, Assert.Single(overridden.GetRequiredService<QualityConfiguration>().Gate!.Conditions).Metric);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task StartAsync_MissingConfigurationFile_FailsNamingTheOptionAndFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.json");
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Services.AddMusubiMonitoring().AddQuality(o => o.ConfigurationFile = path);
        using IHost host = builder.Build();

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains($"QualityOptions.ConfigurationFile: {path}: cannot read the thresholds file", e.Message);
    }

    [Fact]
    public void Options_Invalid_FailNamingEachOption()
    {
        string path = Path.Combine(Path.GetTempPath(), $"musubi-quality-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{"thresholds": {"line_coverage": {"healthy": "eighty"}}}""");
        try
        {
            using ServiceProvider provider = Build(b => b.AddQuality(o =>
            {
                o.ConfigurationFile = path;
                o.Thresholds.Add(new QualityThreshold("documentation", 90m, 50m));
                o.Thresholds.Add(new QualityThreshold("documentation", 80m, 50m));
                o.Thresholds.Add(null!);
                o.GateConditions.Add(null!);
                o.Sources.Add(null!);
                o.HealthCheckCacheDuration = TimeSpan.FromSeconds(-1);
            }));

            var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<QualityOptions>>().Value);

            Assert.Equal(
                [
                    $"QualityOptions.ConfigurationFile: {path}: thresholds.line_coverage.healthy: expected a number, not string \"eighty\".",
                    "QualityOptions.Thresholds has two thresholds for 'documentation'; give each metric at most one.",
                    "QualityOptions.Thresholds[2] is null.",
                    "QualityOptions.GateConditions[0] is null.",
                    "QualityOptions.Sources[0] is null.",
                    "QualityOptions.HealthCheckCacheDuration is -00:00:01; use 00:00:00 to 1.00:00:00 (1 day).",
                ],
                e.Failures);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
