using System.CommandLine;
using System.Globalization;

namespace Musubi.Monitoring.Costs.Cli;

/// <summary>
/// <c>pricing [model]</c>: lists the catalogue (built-in table plus <c>--prices</c>), or resolves one model and shows the rule that
/// found its price and the per-token prices. An unpriced model prints <c>UNPRICED</c> and exits 1.
/// </summary>
internal static class PricingCommand
{
    /// <summary>Builds the command.</summary>
    /// <param name="context">The shared context.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var model = new Argument<string?>("model") { Description = "A model to resolve; without it the whole catalogue is listed.", Arity = ArgumentArity.ZeroOrOne };
        var provider = new Option<string?>("--provider") { Description = "The provider, for provider-qualified price keys (azure/…); optional.", HelpName = "name" };
        Option<string?> prices = CommonOptions.Prices();
        var command = new Command("pricing", "List the per-token prices (USD), or show how one model resolves to a price.") { model, provider, prices };
        command.SetAction((parseResult, _) =>
        {
            PricingCatalog catalog = CatalogLoader.Load(context, parseResult.GetValue(prices));
            string? name = parseResult.GetValue(model);
            if (name is null)
            {
                List<string[]> rows = [];
                foreach (string key in catalog.Keys.Order(StringComparer.Ordinal))
                {
                    // A catalogue key resolves to itself (ExactKey), whatever the provider; null "at" takes the latest price.
                    ModelPrice price = catalog.Resolve("catalog", key).Price!;
                    rows.Add([key, price.Provider ?? "-", Money.PerToken(price.InputCostPerToken), Money.PerToken(price.OutputCostPerToken),
                        Money.PerToken(price.CacheReadInputTokenCost), price.Tiers.Count == 0 ? "-" : string.Join(" ", price.Tiers.Select(t => ">" + Count(t.AboveInputTokens)))]);
                }

                TableOutput.Write(context.Environment, $"{rows.Count} priced models (USD per token)",
                    ["Key", "Provider", "Input", "Output", "Cached read", "Tiers"], rows, [false, false, true, true, true, false]);
                return Task.FromResult(ExitCodes.Ok);
            }

            if (string.IsNullOrWhiteSpace(name))
            {
                throw new CliUsageException("The model is empty; give a model name such as gpt-4o, or none to list the catalogue.");
            }

            string? providerName = parseResult.GetValue(provider);
            ModelResolution resolution = catalog.Resolve(string.IsNullOrWhiteSpace(providerName) ? "unknown" : providerName, name, at: context.TimeProvider.GetUtcNow());
            if (resolution.Price is not { } found)
            {
                context.WriteLine($"{name}: UNPRICED. {resolution.UnpricedReason}");
                return Task.FromResult(ExitCodes.UsageError);
            }

            List<string[]> fields =
            [
                ["model", name],
                ["rule", resolution.Rule.ToString()],
                ["key", resolution.Key!],
                ["provider", found.Provider ?? "-"],
                ["input", Money.PerToken(found.InputCostPerToken)],
                ["output", Money.PerToken(found.OutputCostPerToken)],
                ["cached read", Money.PerToken(found.CacheReadInputTokenCost) + (found.CacheReadInputTokenCost is null ? " (input price)" : string.Empty)],
                ["cache write (5 min)", Money.PerToken(found.CacheCreationInputTokenCost) + (found.CacheCreationInputTokenCost is null ? " (input price)" : string.Empty)],
                ["cache write (1 h)", Money.PerToken(found.CacheCreationInputTokenCostAbove1Hour) + (found.CacheCreationInputTokenCostAbove1Hour is null ? " (5-min write price)" : string.Empty)],
                ["reasoning", Money.PerToken(found.OutputCostPerReasoningToken) + (found.OutputCostPerReasoningToken is null ? " (output price)" : string.Empty)],
                ["effective from", found.EffectiveFrom?.ToString("O", CultureInfo.InvariantCulture) ?? "always"],
            ];
            foreach (PriceTier tier in found.Tiers)
            {
                fields.Add([$"above {Count(tier.AboveInputTokens)} input tokens",
                    $"input {Money.PerToken(tier.InputCostPerToken)}, output {Money.PerToken(tier.OutputCostPerToken)}, cached read {Money.PerToken(tier.CacheReadInputTokenCost)}"]);
            }

            TableOutput.Write(context.Environment, $"{name} resolves to '{resolution.Key}' by rule {resolution.Rule} (USD per token)", ["Field", "Value"], fields, [false, false]);
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static string Count(long tokens) => tokens.ToString(CultureInfo.InvariantCulture);
}
