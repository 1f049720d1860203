using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Musubi.Monitoring.AI;

namespace Musubi.Monitoring.Snippets;

/// <summary>The README's chat-client cost tracking example.</summary>
public static class AiSnippets
{
    public static async Task Track(IServiceCollection services, IChatClient myProviderClient)
    {
        services.AddMusubiMonitoring().AddCosts();            // CostTracker, pricing catalog, ledger, budgets
        services.AddChatClient(myProviderClient)               // any IChatClient: OpenAI, Azure OpenAI, Ollama…
            .UseMusubiCostTracking(o => o.StreamingUsageMode = StreamingUsageMode.Auto);

        using ServiceProvider provider = services.BuildServiceProvider();
        IChatClient chat = provider.GetRequiredService<IChatClient>();
        var options = new ChatOptions { AdditionalProperties = new() { ["musubi.user"] = "alice", ["musubi.feature"] = "search" } };
        ChatResponse response = await chat.GetResponseAsync("Hello", options);
        _ = response;
    }
}
