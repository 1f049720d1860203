using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring.Health;

namespace Musubi.Monitoring.Tests.Health;

public sealed class DependencyCheckTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ServiceProvider Build(Action<MusubiMonitoringBuilder> add, FakeTimeProvider? time = null)
    {
        // HealthCheckService logs through ILogger<T>, which every host provides.
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<TimeProvider>(time ?? new FakeTimeProvider());
        add(services.AddMusubiMonitoring());
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    private static Task<HealthReport> RunAsync(ServiceProvider provider) =>
        provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);

    private static double Latency(HealthReportEntry entry) => Assert.IsType<double>(entry.Data[DependencyCheckDataKeys.LatencyMilliseconds]);

    [Fact]
    public async Task AddDependencyCheck_ProbeTrue_ReportsHealthyWithLatencyAndCriticality()
    {
        await using ServiceProvider provider = Build(b => b.AddDependencyCheck("db", _ => Task.FromResult(true)));

        HealthReport report = await RunAsync(provider);

        Assert.Equal(HealthStatus.Healthy, report.Status);
        HealthReportEntry entry = report.Entries["db"];
        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Null(entry.Exception);
        Assert.Equal(0d, Latency(entry));
        Assert.Equal(true, entry.Data[DependencyCheckDataKeys.Critical]);
        Assert.Equal(["ready"], entry.Tags);
    }

    [Fact]
    public async Task AddDependencyCheck_CriticalProbeFalse_ReportsUnhealthy()
    {
        await using ServiceProvider provider = Build(b => b.AddDependencyCheck("db", _ => Task.FromResult(false)));

        HealthReport report = await RunAsync(provider);

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["db"].Status);
        Assert.Equal("probe returned false", report.Entries["db"].Description);
    }

    [Fact]
    public async Task AddDependencyCheck_NonCriticalProbeFalse_ReportsDegraded()
    {
        await using ServiceProvider provider = Build(b => b
            .AddDependencyCheck("db", _ => Task.FromResult(true))
            .AddDependencyCheck("cache", _ => Task.FromResult(false), o => o.Critical = false));

        HealthReport report = await RunAsync(provider);

        Assert.Equal(HealthStatus.Degraded, report.Status);
        Assert.Equal(HealthStatus.Degraded, report.Entries["cache"].Status);
        Assert.Equal(false, report.Entries["cache"].Data[DependencyCheckDataKeys.Critical]);
        Assert.Equal(HealthStatus.Healthy, report.Entries["db"].Status);
    }

    [Fact]
    public async Task AddDependencyCheck_NonCriticalResultUnhealthy_ReportsDegradedKeepingDescriptionAndData()
    {
        var error = new InvalidOperationException("queue full");
        await using ServiceProvider provider = Build(b => b.AddDependencyCheck(
            "queue",
            (_, _) => Task.FromResult(HealthCheckResult.Unhealthy("backlog 900", error, new Dictionary<string, object> { ["backlog"] = 900 })),
            o => o.Critical = false));

        HealthReportEntry entry = (await RunAsync(provider)).Entries["queue"];

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal("backlog 900", entry.Description);
        Assert.Same(error, entry.Exception);
        Assert.Equal(900, entry.Data["backlog"]);
        Assert.IsType<double>(entry.Data[DependencyCheckDataKeys.LatencyMilliseconds]);
    }

    [Fact]
    public async Task AddDependencyCheck_CriticalResultDegraded_KeepsDegraded()
    {
        await using ServiceProvider provider = Build(b => b.AddDependencyCheck(
            "api", (_, _) => Task.FromResult(HealthCheckResult.Degraded("slow"))));

        HealthReportEntry entry = (await RunAsync(provider)).Entries["api"];

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal("slow", entry.Description);
    }

    [Theory]
    [InlineData(true, HealthStatus.Unhealthy)]
    [InlineData(false, HealthStatus.Degraded)]
    public async Task AddDependencyCheck_ProbeThrows_ReportsFailureStatusWithTypeAndMessage(bool critical, HealthStatus expected)
    {
        await using ServiceProvider provider = Build(b => b.AddDependencyCheck(
            "db", async _ => { await Task.Yield(); throw new InvalidOperationException("connection refused"); }, o => o.Critical = critical));

        HealthReportEntry entry = (await RunAsync(provider)).Entries["db"];

        Assert.Equal(expected, entry.Status);
        Assert.Equal("threw InvalidOperationException: connection refused", entry.Description);
        Assert.IsType<InvalidOperationException>(entry.Exception);
        Assert.IsType<double>(entry.Data[DependencyCheckDataKeys.LatencyMilliseconds]);
    }

    [Fact]
    public async Task AddDependencyCheck_CheckThrowsBeforeReturningATask_ReportsUnhealthy()
    {
        await using ServiceProvider provider = Build(b => b.AddDependencyCheck(
            "db", (Func<IServiceProvider, CancellationToken, Task<HealthCheckResult>>)((_, _) => throw new ArgumentException("bad dsn"))));

        HealthReportEntry entry = (await RunAsync(provider)).Entries["db"];

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Equal("threw ArgumentException: bad dsn", entry.Description);
    }

    [Fact]
    public async Task AddDependencyCheck_CheckReturnsNullTask_ReportsUnhealthy()
    {
        await using ServiceProvider provider = Build(b => b.AddDependencyCheck("db", (_, _) => null!));

        HealthReportEntry entry = (await RunAsync(provider)).Entries["db"];

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.StartsWith("threw InvalidOperationException: The check returned null", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddDependencyCheck_CheckIgnoresCancellationPastTimeout_ReportsTimedOutAfterTheTimeout()
    {
        var time = new FakeTimeProvider();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using ServiceProvider provider = Build(
            b => b.AddDependencyCheck("db", _ => { started.SetResult(); return never.Task; }, o => o.Timeout = TimeSpan.FromSeconds(2)),
            time);

        Task<HealthReport> running = RunAsync(provider);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        time.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.False(running.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        HealthReport report = await running.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        HealthReportEntry entry = report.Entries["db"];
        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Equal("timed out after 00:00:02", entry.Description);
        TimeoutException timeout = Assert.IsType<TimeoutException>(entry.Exception);
        Assert.Contains("'db'", timeout.Message, StringComparison.Ordinal);
        Assert.Equal(2000d, Latency(entry));

        // The abandoned probe fails later: observed by the wrapper, nothing reaches the caller.
        never.SetException(new InvalidOperationException("late"));
    }

    [Fact]
    public async Task AddDependencyCheck_CheckBlocksSynchronously_StillReportsTimedOut()
    {
        var time = new FakeTimeProvider();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var gate = new ManualResetEventSlim();
        await using ServiceProvider provider = Build(
            b => b.AddDependencyCheck("sync", _ =>
            {
                started.SetResult();
                gate.Wait(TimeSpan.FromSeconds(30), CancellationToken.None);   // a synchronous probe that ignores its token
                return Task.FromResult(true);
            }, o => o.Timeout = TimeSpan.FromSeconds(2)),
            time);

        Task<HealthReport> running = RunAsync(provider);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        time.Advance(TimeSpan.FromSeconds(2));
        HealthReport report = await running.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        gate.Set();

        Assert.Equal("timed out after 00:00:02", report.Entries["sync"].Description);
    }

    [Fact]
    public async Task AddDependencyCheck_CheckHonoursCancellationAtTimeout_ReportsTimedOutAsDegradedWhenNonCritical()
    {
        var time = new FakeTimeProvider();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using ServiceProvider provider = Build(
            b => b.AddDependencyCheck(
                "api",
                async (sp, ct) =>
                {
                    started.SetResult();
                    await Task.Delay(TimeSpan.FromMinutes(1), sp.GetRequiredService<TimeProvider>(), ct);
                    return HealthCheckResult.Healthy();
                },
                o => (o.Timeout, o.Critical) = (TimeSpan.FromMilliseconds(1500), false)),
            time);

        Task<HealthReport> running = RunAsync(provider);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        time.Advance(TimeSpan.FromMilliseconds(1500));
        HealthReportEntry entry = (await running.WaitAsync(TimeSpan.FromSeconds(10), Ct)).Entries["api"];

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal("timed out after 00:00:01.5000000", entry.Description);
        Assert.Equal(1500d, Latency(entry));
    }

    [Fact]
    public async Task AddDependencyCheck_CheckTakesTime_RecordsLatencyFromTimeProvider()
    {
        var time = new FakeTimeProvider();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using ServiceProvider provider = Build(
            b => b.AddDependencyCheck("db", async ct =>
            {
                Task delay = Task.Delay(TimeSpan.FromMilliseconds(250), time, ct);   // its timer exists before the test advances
                started.SetResult();
                await delay;
                return true;
            }),
            time);

        Task<HealthReport> running = RunAsync(provider);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        time.Advance(TimeSpan.FromMilliseconds(250));
        HealthReportEntry entry = (await running.WaitAsync(TimeSpan.FromSeconds(10), Ct)).Entries["db"];

        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal(250d, Latency(entry));
    }

    [Fact]
    public async Task CheckHealthAsync_CallerCancels_ThrowsOperationCanceled()
    {
        var never = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using ServiceProvider provider = Build(b => b.AddDependencyCheck("db", _ => never.Task));
        HealthCheckRegistration registration = provider.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations.Single();
        IHealthCheck check = registration.Factory(provider);
        using var cts = new CancellationTokenSource();

        Task<HealthCheckResult> running = check.CheckHealthAsync(new HealthCheckContext { Registration = registration }, cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    [Fact]
    public async Task AddDependencyCheckOfT_UnregisteredType_IsCreatedWithServicesRunAndDisposed()
    {
        var probe = new Probe { Healthy = false };
        await using ServiceProvider provider = Build(b =>
        {
            b.Services.AddSingleton(probe);
            b.AddDependencyCheck<ProbeCheck>("typed", o => o.Critical = false);
        });

        HealthReportEntry entry = (await RunAsync(provider)).Entries["typed"];

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal("probe says no (failure status Degraded)", entry.Description);
        Assert.Equal(1, probe.Disposed);
    }

    [Fact]
    public async Task AddDependencyCheckOfT_TypeThrows_ReportsUnhealthy()
    {
        await using ServiceProvider provider = Build(b => b.AddDependencyCheck<ThrowingCheck>("typed"));

        HealthReportEntry entry = (await RunAsync(provider)).Entries["typed"];

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Equal("threw NotSupportedException: no", entry.Description);
    }

    [Fact]
    public async Task AddDependencyCheck_FuncOverload_ResolvesFromTheRunScope()
    {
        await using ServiceProvider provider = Build(b =>
        {
            b.Services.AddScoped<Probe>();
            b.AddDependencyCheck("scoped", (sp, _) => Task.FromResult(
                sp.GetRequiredService<Probe>().Healthy ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy()));
        });

        Assert.Equal(HealthStatus.Healthy, (await RunAsync(provider)).Status);
    }

    [Fact]
    public void DependencyCheckOptions_Defaults_AreDocumentedValues()
    {
        var options = new DependencyCheckOptions();

        Assert.True(options.Critical);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Timeout);
        Assert.Equal(["ready"], options.Tags);
        Assert.Equal("ready", DependencyCheckOptions.ReadyTag);
        Assert.Equal(TimeSpan.FromMilliseconds(1), DependencyCheckOptions.MinTimeout);
        Assert.Equal(TimeSpan.FromMinutes(5), DependencyCheckOptions.MaxTimeout);
    }

    [Fact]
    public void AddDependencyCheck_Defaults_RegisterUnhealthyFailureStatusReadyTagAndNoFrameworkTimeout()
    {
        using ServiceProvider provider = Build(b => b.AddDependencyCheck("db", _ => Task.FromResult(true)));

        HealthCheckRegistration registration = provider.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations.Single();

        Assert.Equal("db", registration.Name);
        Assert.Equal(HealthStatus.Unhealthy, registration.FailureStatus);
        Assert.Equal(["ready"], registration.Tags);
        // The timeout is enforced on the injected TimeProvider, not by HealthCheckService's own timer.
        Assert.Equal(Timeout.InfiniteTimeSpan, registration.Timeout);
    }

    [Fact]
    public void AddDependencyCheck_NonCriticalWithTags_RegistersDegradedFailureStatusAndTags()
    {
        using ServiceProvider provider = Build(b => b.AddDependencyCheck("cache", _ => Task.FromResult(true), o =>
        {
            o.Critical = false;
            o.Tags.Remove(DependencyCheckOptions.ReadyTag);
            o.Tags.Add("startup");
        }));

        HealthCheckRegistration registration = provider.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations.Single();

        Assert.Equal(HealthStatus.Degraded, registration.FailureStatus);
        Assert.Equal(["startup"], registration.Tags);
    }

    [Fact]
    public async Task AddDependencyCheck_OptionsChangedAfterRegistration_HasNoEffect()
    {
        DependencyCheckOptions? captured = null;
        var time = new FakeTimeProvider();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using ServiceProvider provider = Build(
            b => b.AddDependencyCheck("db", _ => { started.SetResult(); return new TaskCompletionSource<bool>().Task; }, o =>
            {
                o.Timeout = TimeSpan.FromSeconds(1);
                captured = o;
            }),
            time);
        captured!.Timeout = TimeSpan.FromMinutes(5);
        captured.Critical = false;
        captured.Tags.Clear();

        Task<HealthReport> running = RunAsync(provider);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        time.Advance(TimeSpan.FromSeconds(1));
        HealthReportEntry entry = (await running.WaitAsync(TimeSpan.FromSeconds(10), Ct)).Entries["db"];

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Equal("timed out after 00:00:01", entry.Description);
        Assert.Equal(["ready"], entry.Tags);
    }

    public static TheoryData<string, string> InvalidOptions => new()
    {
        { "timeout zero", "Timeout is 00:00:00;" },
        { "timeout negative", "Timeout is -00:00:01;" },
        { "timeout over five minutes", "Timeout is 00:05:00.0010000;" },
        { "timeout infinite", "Timeout is -00:00:00.0010000;" },
        { "empty tag", "Tags contains '';" },
        { "blank tag", "Tags contains ' ';" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void AddDependencyCheck_InvalidOptions_ThrowsArgumentExceptionNamingCheckOptionAndValue(string scenario, string expected)
    {
        Action<DependencyCheckOptions> configure = scenario switch
        {
            "timeout zero" => o => o.Timeout = TimeSpan.Zero,
            "timeout negative" => o => o.Timeout = TimeSpan.FromSeconds(-1),
            "timeout over five minutes" => o => o.Timeout = TimeSpan.FromMinutes(5) + TimeSpan.FromMilliseconds(1),
            "timeout infinite" => o => o.Timeout = Timeout.InfiniteTimeSpan,
            "empty tag" => o => o.Tags.Add(""),
            "blank tag" => o => o.Tags.Add(" "),
            _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
        };
        var services = new ServiceCollection();

        ArgumentException e = Assert.Throws<ArgumentException>(() =>
            services.AddMusubiMonitoring().AddDependencyCheck("db", _ => Task.FromResult(true), configure));

        Assert.Equal("configure", e.ParamName);
        Assert.Contains("check 'db'", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(HealthCheckService));
    }

    [Fact]
    public void AddDependencyCheck_TimeoutAtBounds_IsAccepted()
    {
        var services = new ServiceCollection();
        services.AddMusubiMonitoring()
            .AddDependencyCheck("min", _ => Task.FromResult(true), o => o.Timeout = TimeSpan.FromMilliseconds(1))
            .AddDependencyCheck("max", _ => Task.FromResult(true), o => o.Timeout = TimeSpan.FromMinutes(5));

        using ServiceProvider provider = services.BuildServiceProvider();
        Assert.Equal(2, provider.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations.Count);
    }

    [Fact]
    public void AddDependencyCheck_NullArguments_ThrowArgumentNullException()
    {
        MusubiMonitoringBuilder builder = new ServiceCollection().AddMusubiMonitoring();
        Func<CancellationToken, Task<bool>> probe = _ => Task.FromResult(true);
        Func<IServiceProvider, CancellationToken, Task<HealthCheckResult>> check = (_, _) => Task.FromResult(HealthCheckResult.Healthy());

        Assert.Equal("builder", Assert.Throws<ArgumentNullException>(() => DependencyCheckBuilderExtensions.AddDependencyCheck(null!, "db", probe)).ParamName);
        Assert.Equal("builder", Assert.Throws<ArgumentNullException>(() => DependencyCheckBuilderExtensions.AddDependencyCheck(null!, "db", check)).ParamName);
        Assert.Equal("builder", Assert.Throws<ArgumentNullException>(() => DependencyCheckBuilderExtensions.AddDependencyCheck<ThrowingCheck>(null!, "db")).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => builder.AddDependencyCheck(null!, probe)).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => builder.AddDependencyCheck<ThrowingCheck>(null!)).ParamName);
        Assert.Equal("probe", Assert.Throws<ArgumentNullException>(() => builder.AddDependencyCheck("db", (Func<CancellationToken, Task<bool>>)null!)).ParamName);
        Assert.Equal("check", Assert.Throws<ArgumentNullException>(() =>
            builder.AddDependencyCheck("db", (Func<IServiceProvider, CancellationToken, Task<HealthCheckResult>>)null!)).ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void AddDependencyCheck_BlankName_ThrowsArgumentException(string name)
    {
        MusubiMonitoringBuilder builder = new ServiceCollection().AddMusubiMonitoring();

        ArgumentException e = Assert.Throws<ArgumentException>(() => builder.AddDependencyCheck(name, _ => Task.FromResult(true)));

        Assert.Equal("name", e.ParamName);
    }

    [Theory]
    [InlineData("db")]
    [InlineData("DB")]
    public void AddDependencyCheck_DuplicateName_ThrowsInvalidOperationExceptionNamingIt(string second)
    {
        MusubiMonitoringBuilder builder = new ServiceCollection().AddMusubiMonitoring()
            .AddDependencyCheck("db", _ => Task.FromResult(true));

        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() =>
            builder.AddDependencyCheck<ThrowingCheck>(second));

        Assert.Contains($"'{second}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("unique", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddDependencyCheck_CalledForSeveralChecksAndMonitoringAddedTwice_RegistersHealthServicesOnceAndRunsEveryCheck()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider());
        services.AddMusubiMonitoring().AddDependencyCheck("db", _ => Task.FromResult(true));
        services.AddMusubiMonitoring().AddDependencyCheck("cache", _ => Task.FromResult(true), o => o.Critical = false);

        Assert.Single(services, d => d.ServiceType == typeof(HealthCheckService));
        await using ServiceProvider provider = services.BuildServiceProvider();
        HealthReport report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);

        Assert.Equal(["db", "cache"], report.Entries.Keys);
        Assert.Equal(HealthStatus.Healthy, report.Status);
    }

    [Fact]
    public async Task AddDependencyCheck_NextToAFrameworkCheck_BothRun()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy());
        services.AddMusubiMonitoring().AddDependencyCheck("db", _ => Task.FromResult(true));
        await using ServiceProvider provider = services.BuildServiceProvider();

        HealthReport report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);

        Assert.Equal(["self", "db"], report.Entries.Keys);
    }

    internal sealed class Probe : IDisposable
    {
        public bool Healthy { get; set; } = true;

        public int Disposed { get; private set; }

        public void Dispose() => Disposed++;
    }

    internal sealed class ProbeCheck(Probe probe) : IHealthCheck, IDisposable
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(probe.Healthy
                ? HealthCheckResult.Healthy()
                : new HealthCheckResult(context.Registration.FailureStatus, $"probe says no (failure status {context.Registration.FailureStatus})"));

        public void Dispose() => probe.Dispose();
    }

    internal sealed class ThrowingCheck : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("no");
    }
}
