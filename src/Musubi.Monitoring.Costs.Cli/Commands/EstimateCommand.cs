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
        Option<long> cacheWrite = CommonOptions.Tokens("--cache-write", "Of the input tokens, how many are written to a 5-minute prompt cache (Anthropic's cache_creation_input_tokens).");
        Option<long> cacheWrite1Hour = CommonOptions.Tokens("--cache-write-1h", "Of the input tokens, how many are written to a 1-hour prompt cache.");
        Option<long> reasoning = CommonOptions.Tokens("--reasoning", "Of the output tokens, how many are reasoning (priced apart only where the model's price says so).");
        var provider = new Option<string?>("--provider") { Description = "The provider, for provider-qualified price keys (azure/…); optional.", HelpName = "name" };
        Option<string?> prices = CommonOptions.Prices();
        Option<string> format = CommonOptions.Format("text", "json");
        var command = new Command("estimate", "Price a hypothetical call exactly (nothing is recorded). Unknown model: UNPRICED, exit 1.")
        {
            model, input, output, cached, cacheWrite, cacheWrite1Hour, reasoning, provider, prices, format,
        };
        command.SetAction((parseResult, _) =>
        {
            long inputTokens = parseResult.GetValue(input);
            long cachedTokens = parseResult.GetValue(cached);
            long writeTokens = parseResult.GetValue(cacheWrite);
            long write1HourTokens = parseResult.GetValue(cacheWrite1Hour);
            decimal fromCache = (decimal)cachedTokens + writeTokens + write1HourTokens;
            if (fromCache > inputTokens)
            {
                throw new CliUsageException(writeTokens == 0 && write1HourTokens == 0
                    ? $"--cached ({cachedTokens}) is more than --tokens/--input ({inputTokens}); the input count includes the cached tokens."
                    : $"--cached ({cachedTokens}) + --cache-write ({writeTokens}) + --cache-write-1h ({write1HourTokens}) = {fromCache} is more than --tokens/--input ({inputTokens}); the input count includes cache reads and writes.");
            }

            long outputTokens = parseResult.GetValue(output);
            long reasoningTokens = parseResult.GetValue(reasoning);
            if (reasoningTokens > outputTokens)
            {
                throw new CliUsageException($"--reasoning ({reasoningTokens}) is more than --output ({outputTokens}); the output count includes the reasoning tokens.");
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
                inputTokens, outputTokens, cachedTokens, writeTokens, write1HourTokens, reasoningTokens);
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
        long uncached = usage.InputTokens - usage.CachedReadTokens - usage.CacheWrite5MinuteTokens - usage.CacheWrite1HourTokens;
        long reasoning = cost.ReasoningPricedSeparately ? usage.ReasoningTokens : 0;
        var rows = new List<string[]> { new[] { "input (uncached)", Count(uncached), Money.Usd(cost.Input) } };
        rows.Add(["cached read", Count(usage.CachedReadTokens), Money.Usd(cost.CachedRead)]);
        if (usage.CacheWrite5MinuteTokens > 0)
        {
            rows.Add(["cache write (5 min)", Count(usage.CacheWrite5MinuteTokens), Money.Usd(cost.CacheWrite5Minute)]);
        }

        if (usage.CacheWrite1HourTokens > 0)
        {
            rows.Add(["cache write (1 h)", Count(usage.CacheWrite1HourTokens), Money.Usd(cost.CacheWrite1Hour)]);
        }

        rows.Add(["output", Count(usage.OutputTokens - reasoning), Money.Usd(cost.Output)]);
        if (reasoning > 0)
        {
            rows.Add(["reasoning", Count(reasoning), Money.Usd(cost.Reasoning)]);
        }

        rows.Add(["total", Count(usage.InputTokens + usage.OutputTokens), Money.Usd(total)]);
        TableOutput.Write(context.Environment, title, ["Part", "Tokens", "Cost (USD)"], [.. rows], [false, true, true]);
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
        json.WriteNumber("cacheWrite5MinuteTokens", usage.CacheWrite5MinuteTokens);
        json.WriteNumber("cacheWrite1HourTokens", usage.CacheWrite1HourTokens);
        json.WriteNumber("outputTokens", usage.OutputTokens);
        json.WriteNumber("reasoningTokens", usage.ReasoningTokens);
        json.WriteString("input", Money.Exact(cost.Input));
        json.WriteString("cachedRead", Money.Exact(cost.CachedRead));
        json.WriteString("cacheWrite5Minute", Money.Exact(cost.CacheWrite5Minute));
        json.WriteString("cacheWrite1Hour", Money.Exact(cost.CacheWrite1Hour));
        json.WriteString("output", Money.Exact(cost.Output));
        json.WriteString("reasoning", Money.Exact(cost.Reasoning));
        json.StringOrNull("total", cost.Total is { } total ? Money.Exact(total) : null);
        json.StringOrNull("unpricedReason", cost.Resolution.UnpricedReason);
        json.WriteEndObject();
    });

    private static string Count(long tokens) => tokens.ToString(CultureInfo.InvariantCulture);
}
