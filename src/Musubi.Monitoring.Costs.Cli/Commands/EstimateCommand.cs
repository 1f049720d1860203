using System.CommandLine;
using System.Globalization;

namespace Musubi.Monitoring.Costs.Cli;

/// <summary>
/// <c>estimate</c>: prices a hypothetical call from the catalogue, exactly, without writing to the ledger. An unpriced model
/// prints <c>UNPRICED</c> with the reason and exits 1: the cost is unknown, never shown as $0.
/// </summary>
internal static class EstimateCommand
{
    /// <summary>Builds the command.</summary>
    /// <param name="context">The shared context.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var model = new Option<string>("--model", "-m") { Description = "The model, for example gpt-4o or claude-sonnet-4-20250514.", Required = true, HelpName = "model" };
        Option<long> input = CommonOptions.Tokens("--tokens", "Input (prompt) tokens, cached ones included.", "--input");
        Option<long> output = CommonOptions.Tokens("--output", "Output (generated) tokens, reasoning included.");
        Option<long> cached = CommonOptions.Tokens("--cached", "Of the input tokens, how many are read from the prompt cache.");
        var provider = new Option<string?>("--provider") { Description = "The provider, for provider-qualified price keys (azure/…); optional.", HelpName = "name" };
        Option<string?> prices = CommonOptions.Prices();
        Option<string> format = CommonOptions.Format("text", "json");
        var command = new Command("estimate", "Price a hypothetical call exactly (nothing is recorded). Unknown model: UNPRICED, exit 1.")
        {
            model, input, output, cached, provider, prices, format,
        };
        command.SetAction((parseResult, _) =>
        {
            long inputTokens = parseResult.GetValue(input);
            long cachedTokens = parseResult.GetValue(cached);
            if (cachedTokens > inputTokens)
            {
                throw new CliUsageException($"--cached ({cachedTokens}) is more than --tokens/--input ({inputTokens}); the input count includes the cached tokens.");
            }

            string modelName = parseResult.GetValue(model)!;
            if (string.IsNullOrWhiteSpace(modelName))
            {
                throw new CliUsageException("--model is empty; give a model name such as gpt-4o.");
            }

            PricingCatalog catalog = CatalogLoader.Load(context, parseResult.GetValue(prices));
            string? providerName = parseResult.GetValue(provider);
            var usage = new LlmUsage(
                string.IsNullOrWhiteSpace(providerName) ? "unknown" : providerName, modelName, context.TimeProvider.GetUtcNow(),
                inputTokens, parseResult.GetValue(output), cachedReadTokens: cachedTokens);
            CostBreakdown cost = CostCalculator.Calculate(usage, catalog);
            if (parseResult.GetValue(format) == "json")
            {
                context.Environment.Output.Write(Json(usage, cost));
            }
            else
            {
                WriteText(context, usage, cost);
            }

            return Task.FromResult(cost.IsUnpriced ? ExitCodes.UsageError : ExitCodes.Ok);
        });
        return command;
    }

    private static void WriteText(CliContext context, LlmUsage usage, CostBreakdown cost)
    {
        if (cost.Total is not { } total)
        {
            context.WriteLine($"{usage.RequestModel}: UNPRICED. {cost.Resolution.UnpricedReason} Load a price with --prices <file>.");
            return;
        }

        string title = $"Estimate for {usage.RequestModel}, priced as '{cost.Resolution.Key}' ({cost.Resolution.Rule})";
        string[][] rows =
        [
            ["input (uncached)", Count(usage.InputTokens - usage.CachedReadTokens), Money.Usd(cost.Input)],
            ["cached read", Count(usage.CachedReadTokens), Money.Usd(cost.CachedRead)],
            ["output", Count(usage.OutputTokens), Money.Usd(cost.Output)],
            ["total", Count(usage.InputTokens + usage.OutputTokens), Money.Usd(total)],
        ];
        TableOutput.Write(context.Environment, title, ["Part", "Tokens", "Cost (USD)"], rows, [false, true, true]);
    }

    private static string Json(LlmUsage usage, CostBreakdown cost) => JsonOutput.Write(json =>
    {
        json.WriteStartObject();
        json.WriteString("model", usage.RequestModel);
        json.WriteString("rule", cost.Resolution.Rule.ToString());
        json.StringOrNull("key", cost.Resolution.Key);
        json.WriteString("currency", "USD");
        json.WriteNumber("inputTokens", usage.InputTokens);
        json.WriteNumber("cachedReadTokens", usage.CachedReadTokens);
        json.WriteNumber("outputTokens", usage.OutputTokens);
        json.WriteString("input", Money.Exact(cost.Input));
        json.WriteString("cachedRead", Money.Exact(cost.CachedRead));
        json.WriteString("output", Money.Exact(cost.Output));
        json.StringOrNull("total", cost.Total is { } total ? Money.Exact(total) : null);
        json.StringOrNull("unpricedReason", cost.Resolution.UnpricedReason);
        json.WriteEndObject();
    });

    private static string Count(long tokens) => tokens.ToString(CultureInfo.InvariantCulture);
}
