using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring.Costs;

namespace Musubi.Monitoring.AI.Tests;

public sealed class CostTrackingChatClientBuilderExtensionsTests
{
    [Fact]
    public void UseMusubiCostTracking_NullBuilder_ThrowsArgumentNullException() =>
        Assert.Throws<ArgumentNullException>("builder", () => CostTrackingChatClientBuilderExtensions.UseMusubiCostTracking(null!));

    [Fact]
    public void UseMusubiCostTracking_NoCostTracker_ThrowsNamingAddCosts()
    {
        using ServiceProvider provider = new ServiceCollection().BuildServiceProvider();
        using var inner = new FakeChatClient();

        var ex = Assert.Throws<InvalidOperationException>(() => new ChatClientBuilder(inner).UseMusubiCostTracking().Build(provider));

        Assert.Contains("AddCosts()", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseMusubiCostTracking_UndefinedStreamingMode_ThrowsArgumentOutOfRange()
    {
        using ServiceProvider provider = new ServiceCollection().AddMusubiMonitoring().AddCosts().Services.BuildServiceProvider();
        using var inner = new FakeChatClient();

        Assert.Throws<ArgumentOutOfRangeException>(
            () => new ChatClientBuilder(inner).UseMusubiCostTracking(o => o.StreamingUsageMode = (StreamingUsageMode)42).Build(provider));
    }

    [Fact]
    public void UseMusubiCostTracking_CalledTwice_WrapsTwiceAsBuilderPipelinesDo()
    {
        using ServiceProvider provider = new ServiceCollection().AddMusubiMonitoring().AddCosts().Services.BuildServiceProvider();
        using var inner = new FakeChatClient();

        // Each Use adds one layer, as every ChatClientBuilder middleware does; adding it twice records twice, so add it once.
        using IChatClient client = new ChatClientBuilder(inner).UseMusubiCostTracking().UseMusubiCostTracking().Build(provider);

        var outer = Assert.IsType<CostTrackingChatClient>(client);
        Assert.NotNull(outer.GetService<CostTrackingChatClient>());
    }

    [Fact]
    public async Task ReadmeExample_AddChatClientWithCostTracking_RecordsCostInLedger()
    {
        var ledger = new CapturingLedger();
        var services = new ServiceCollection();
        services.AddSingleton<ICostLedger>(ledger);
        using var myProviderClient = new FakeChatClient
        {
            Response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "Hi!"))
            {
                ModelId = "gpt-4",
                Usage = new UsageDetails { InputTokenCount = 1000, OutputTokenCount = 0 },
            },
        };

        // README example: begin
        services.AddMusubiMonitoring().AddCosts();            // CostTracker, pricing catalog, ledger
        services.AddChatClient(myProviderClient)               // any IChatClient: OpenAI, Azure OpenAI, Ollama…
            .UseMusubiCostTracking(o => o.StreamingUsageMode = StreamingUsageMode.Auto);

        using ServiceProvider provider = services.BuildServiceProvider();
        IChatClient chat = provider.GetRequiredService<IChatClient>();
        var options = new ChatOptions { AdditionalProperties = new() { ["musubi.user"] = "alice", ["musubi.feature"] = "search" } };
        ChatResponse response = await chat.GetResponseAsync("Hello", options);
        // README example: end

        Assert.Equal("Hi!", response.Text);
        CostRecord record = Assert.Single(ledger.Records);
        Assert.Equal(0.03m, record.Total);
        Assert.Equal("alice", record.Usage.Attribution?.User);
    }

    [Fact]
    public async Task UseMusubiCostTracking_BudgetMonitorRegistered_EnforcesIt()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero));
        var spend = new InMemoryBudgetSpend();
        spend.Add(new LlmUsage("openai", "gpt-4", time.GetUtcNow(), 1, 1), 10m);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddMusubiMonitoring().AddCosts();
        services.AddSingleton(new BudgetMonitor([new Budget("all", 5m, BudgetPeriod.Monthly) { Enforce = true }], spend, time));
        using var inner = new FakeChatClient();
        services.AddChatClient(inner).UseMusubiCostTracking();
        using ServiceProvider provider = services.BuildServiceProvider();

        var ex = await Assert.ThrowsAsync<BudgetExceededException>(() => provider.GetRequiredService<IChatClient>().GetResponseAsync("Hello"));

        Assert.Equal("all", ex.BudgetName);
        Assert.Equal(0, inner.Calls);
    }
}
