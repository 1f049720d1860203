using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Musubi.Monitoring.Costs.Tests.Budgets;

public sealed class BudgetDependencyInjectionTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30); // a safety net for a broken test, never reached when it passes

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);

    private sealed class ChannelSink : IBudgetAlertSink
    {
        private readonly Channel<BudgetAlert> _alerts = Channel.CreateUnbounded<BudgetAlert>();

        public Task OnBudgetAlertAsync(BudgetAlert alert, CancellationToken cancellationToken) => _alerts.Writer.WriteAsync(alert, cancellationToken).AsTask();

        public Task<BudgetAlert> NextAsync() => _alerts.Reader.ReadAsync(Token).AsTask().WaitAsync(s_wait, Token);

        public bool TryRead(out BudgetAlert? alert) => _alerts.Reader.TryRead(out alert);
    }

    private sealed class ChannelLoggerFactory : ILoggerFactory, ILogger
    {
        private readonly Channel<(EventId Id, string Message)> _entries = Channel.CreateUnbounded<(EventId, string)>();

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public ILogger CreateLogger(string categoryName) => this;

        public void Dispose()
        {
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _entries.Writer.TryWrite((eventId, formatter(state, exception)));

        public async Task<string> NextAsync(int eventId)
        {
            while (true)
            {
                (EventId id, string message) = await _entries.Reader.ReadAsync(Token).AsTask().WaitAsync(s_wait, Token);
                if (id.Id == eventId)
                {
                    return message;
                }
            }
        }
    }

    /// <summary>A ledger whose reads can be made to fail, and that reports every completed read.</summary>
    private sealed class ObservedLedger : ICostLedger
    {
        private readonly InMemoryCostLedger _inner = new();
        private readonly Channel<bool> _reads = Channel.CreateUnbounded<bool>();

        public volatile bool Fail;

        public Task<CostRecord> AppendAsync(LlmUsage usage, CostBreakdown cost, CancellationToken cancellationToken = default) => _inner.AppendAsync(usage, cost, cancellationToken);

        public Task<CostTotal> GetTotalAsync(CostQuery query, CancellationToken cancellationToken = default) => _inner.GetTotalAsync(query, cancellationToken);

        public async Task<CostPage> ListAsync(CostQuery query, CancellationToken cancellationToken = default)
        {
            try
            {
                return Fail ? throw new IOException("ledger offline") : await _inner.ListAsync(query, cancellationToken);
            }
            finally
            {
                _reads.Writer.TryWrite(true);
            }
        }

        public Task<bool> ReadAsync() => _reads.Reader.ReadAsync(Token).AsTask().WaitAsync(s_wait, Token);
    }

    private static (ServiceProvider Provider, ChannelSink Sink) Build(FakeTimeProvider time, Action<CostOptions> configure, Action<IServiceCollection>? more = null)
    {
        var services = new ServiceCollection();
        var sink = new ChannelSink();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<IBudgetAlertSink>(sink);
        more?.Invoke(services);
        services.AddMusubiMonitoring().AddCosts(configure);
        return (services.BuildServiceProvider(), sink);
    }

    private static async Task<IHostedService> StartAsync(ServiceProvider provider)
    {
        IHostedService service = Assert.Single(provider.GetServices<IHostedService>(), s => s.GetType().Name == "BudgetEvaluationService");
        await service.StartAsync(Token);
        return service;
    }

    private static LlmUsage Usage(DateTimeOffset at, long input = 1_000_000) => new("openai", "gpt-4o", at, input, 0);

    [Fact]
    public void CostOptions_Defaults_NoBudgetsOneMinuteAndEvaluateAfterRecord()
    {
        var options = new CostOptions();

        Assert.Empty(options.Budgets);
        Assert.Equal(TimeSpan.FromMinutes(1), options.BudgetEvaluationInterval);
        Assert.True(options.EvaluateBudgetsAfterRecord);
    }

    [Fact]
    public void AddCosts_CalledTwice_RegistersBudgetServicesOnce()
    {
        var services = new ServiceCollection();
        services.AddMusubiMonitoring().AddCosts().AddCosts(o => o.Budgets.Add(new Budget("m", 1m, BudgetPeriod.Monthly)));

        Assert.Single(services, d => d.ServiceType == typeof(BudgetMonitor));
        Assert.Single(services, d => d.ServiceType == typeof(IBudgetStore));
        var once = new ServiceCollection();
        once.AddMusubiMonitoring().AddCosts();
        Assert.Equal(once.Count(d => d.ServiceType == typeof(IHostedService)), services.Count(d => d.ServiceType == typeof(IHostedService)));
        Assert.Equal(2, services.Count(d => d.ServiceType == typeof(IValidateOptions<CostOptions>)));
    }

    [Fact]
    public async Task AddCosts_BudgetsInOptions_MonitorWatchesThemWithInMemoryStoreAndRegisteredSinks()
    {
        var time = new FakeTimeProvider(At("2026-07-10T00:00:00Z"));
        (ServiceProvider provider, ChannelSink sink) = Build(time, o => o.Budgets.Add(new Budget("monthly", 50m, BudgetPeriod.Monthly) { TimeZoneId = "Asia/Tokyo" }));
        await using (provider)
        {
            BudgetMonitor monitor = provider.GetRequiredService<BudgetMonitor>();
            await provider.GetRequiredService<IBudgetStore>().UpsertBudgetAsync(new Budget("daily", 1m, BudgetPeriod.Daily), Token);
            await provider.GetRequiredService<CostTracker>().RecordAsync(Usage(time.GetUtcNow(), input: 20_000_000), Token); // 50 USD at 2.5e-6

            IReadOnlyList<BudgetStatus> statuses = await monitor.EvaluateAllAsync(Token);

            Assert.IsType<InMemoryBudgetStore>(provider.GetRequiredService<IBudgetStore>());
            Assert.Equal(["monthly", "daily"], statuses.Select(s => s.Budget.Name));
            Assert.Equal(50m, statuses[0].Spent);
            Assert.Equal(BudgetAlertKind.Exceeded, (await sink.NextAsync()).Kind);
            Assert.Equal(BudgetAlertKind.Exceeded, (await sink.NextAsync()).Kind);
        }
    }

    [Theory]
    [InlineData(0, "BudgetEvaluationInterval")]
    [InlineData(2 * 24 * 3600, "BudgetEvaluationInterval")]
    public void AddCosts_IntervalOutOfRange_FailsAtStartNamingTheOption(int seconds, string named)
    {
        var services = new ServiceCollection();
        services.AddMusubiMonitoring().AddCosts(o => o.BudgetEvaluationInterval = TimeSpan.FromSeconds(seconds));
        using ServiceProvider provider = services.BuildServiceProvider();

        OptionsValidationException ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddCosts_DuplicateOrNullBudget_HostFailsToStartNamingTheBudget()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddMusubiMonitoring().AddCosts(o =>
        {
            o.Budgets.Add(new Budget("monthly", 1m, BudgetPeriod.Monthly));
            o.Budgets.Add(new Budget("monthly", 2m, BudgetPeriod.Daily));
            o.Budgets.Add(null!);
        });
        using IHost host = builder.Build();

        OptionsValidationException ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Token));

        Assert.Contains("CostOptions.Budgets[1]: budget name 'monthly' is used twice", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CostOptions.Budgets[2] is null", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostedService_Timer_EvaluatesAtStartAndEveryInterval()
    {
        var time = new FakeTimeProvider(At("2026-07-10T00:00:00Z"));
        var ledger = new ObservedLedger();
        (ServiceProvider provider, ChannelSink sink) = Build(
            time,
            o =>
            {
                o.Budgets.Add(new Budget("daily", 10m, BudgetPeriod.Daily));
                o.BudgetEvaluationInterval = TimeSpan.FromMinutes(5);
                o.EvaluateBudgetsAfterRecord = false;
            },
            s => s.AddSingleton<ICostLedger>(ledger));
        await using (provider)
        {
            IHostedService service = await StartAsync(provider);
            await ledger.ReadAsync(); // the evaluation at start

            await provider.GetRequiredService<CostTracker>().RecordAsync(Usage(time.GetUtcNow(), input: 3_200_000), Token); // 8 USD: 80%
            time.Advance(TimeSpan.FromMinutes(4));
            Assert.False(sink.TryRead(out _));

            time.Advance(TimeSpan.FromMinutes(1));
            BudgetAlert alert = await sink.NextAsync();
            Assert.Equal(BudgetAlertKind.Warning, alert.Kind);
            Assert.Equal(8m, alert.Status.Spent);

            await service.StopAsync(Token);
        }
    }

    [Fact]
    public async Task HostedService_AfterRecord_EvaluatesWithoutWaitingForTheInterval()
    {
        var time = new FakeTimeProvider(At("2026-07-10T00:00:00Z"));
        (ServiceProvider provider, ChannelSink sink) = Build(time, o => o.Budgets.Add(new Budget("daily", 10m, BudgetPeriod.Daily)));
        await using (provider)
        {
            IHostedService service = await StartAsync(provider);

            await provider.GetRequiredService<CostTracker>().RecordAsync(Usage(time.GetUtcNow(), input: 4_000_000), Token); // 10 USD

            Assert.Equal(BudgetAlertKind.Exceeded, (await sink.NextAsync()).Kind);
            await service.StopAsync(Token);
        }
    }

    [Fact]
    public async Task HostedService_EvaluationFails_LogsAndRecoversAtTheNextTick()
    {
        var time = new FakeTimeProvider(At("2026-07-10T00:00:00Z"));
        var ledger = new ObservedLedger { Fail = true };
        var logs = new ChannelLoggerFactory();
        (ServiceProvider provider, ChannelSink sink) = Build(
            time,
            o => o.Budgets.Add(new Budget("daily", 10m, BudgetPeriod.Daily)),
            s => s.AddSingleton<ICostLedger>(ledger).AddSingleton<ILoggerFactory>(logs));
        await using (provider)
        {
            IHostedService service = await StartAsync(provider);
            await provider.GetRequiredService<CostTracker>().RecordAsync(Usage(time.GetUtcNow(), input: 4_000_000), Token);

            string message = await logs.NextAsync(4108);
            Assert.Contains("tried again", message, StringComparison.Ordinal);

            ledger.Fail = false;
            time.Advance(TimeSpan.FromMinutes(1));
            Assert.Equal(BudgetAlertKind.Exceeded, (await sink.NextAsync()).Kind);

            await service.StopAsync(Token);
        }
    }

    [Fact]
    public async Task Host_StartAndStop_RunsTheBudgetTimerAndStopsCleanly()
    {
        var time = new FakeTimeProvider(At("2026-07-10T00:00:00Z"));
        var sink = new ChannelSink();
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<IBudgetAlertSink>(sink);
        builder.Services.AddMusubiMonitoring().AddCosts(o => o.Budgets.Add(new Budget("daily", 10m, BudgetPeriod.Daily)));
        using IHost host = builder.Build();
        await host.Services.GetRequiredService<ICostLedger>().AppendAsync(Usage(time.GetUtcNow(), 4_000_000), CostCalculator.Calculate(Usage(time.GetUtcNow(), 4_000_000), PricingCatalog.CreateDefault()), Token);

        await host.StartAsync(Token);
        Assert.Equal(BudgetAlertKind.Exceeded, (await sink.NextAsync()).Kind);
        await host.StopAsync(Token);
    }
}
