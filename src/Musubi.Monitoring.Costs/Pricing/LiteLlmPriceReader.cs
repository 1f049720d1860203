using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Musubi.Monitoring.Costs;

/// <summary>Reads LiteLLM's <c>model_prices_and_context_window.json</c> format into <see cref="ModelPrice"/> values.</summary>
internal static partial class LiteLlmPriceReader
{
    private static readonly JsonDocumentOptions s_options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    [GeneratedRegex(@"^(input_cost_per_token|output_cost_per_token|cache_read_input_token_cost|cache_creation_input_token_cost_above_1hr|cache_creation_input_token_cost|output_cost_per_reasoning_token)_above_(\d{1,9})k_tokens$", RegexOptions.CultureInvariant)]
    private static partial Regex TierField();

    public static List<(string Key, ModelPrice Price)> Read(JsonDocument document, List<PricingLoadIssue> issues)
    {
        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"A LiteLLM price file must be a JSON object of model keys, but its root is a JSON {root.ValueKind}.");
        }

        var prices = new List<(string, ModelPrice)>();
        foreach (JsonProperty entry in root.EnumerateObject())
        {
            // "_source" and similar notes, and LiteLLM's documentation entry, are not models.
            if (entry.Name.StartsWith('_') || entry.Name == "sample_spec")
            {
                continue;
            }

            if (string.IsNullOrWhiteSpace(entry.Name))
            {
                issues.Add(new PricingLoadIssue(entry.Name, "The model key is empty."));
                continue;
            }

            try
            {
                if (ReadEntry(entry.Value) is { } price)
                {
                    prices.Add((entry.Name, price));
                }
                else
                {
                    issues.Add(new PricingLoadIssue(entry.Name, "The entry has no input_cost_per_token, so it has no per-token price."));
                }
            }
            catch (FormatException ex)
            {
                issues.Add(new PricingLoadIssue(entry.Name, ex.Message));
            }
        }

        return prices;
    }

    public static JsonDocument Parse(string json)
    {
        try
        {
            return JsonDocument.Parse(json, s_options);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The price file is not valid JSON: {ex.Message}", ex);
        }
    }

    public static JsonDocument Parse(Stream json)
    {
        try
        {
            return JsonDocument.Parse(json, s_options);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The price file is not valid JSON: {ex.Message}", ex);
        }
    }

    private static ModelPrice? ReadEntry(JsonElement entry)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"The entry must be a JSON object, but it is {Shorten(entry.GetRawText())}.");
        }

        decimal? input = Price(entry, "input_cost_per_token");
        if (input is null)
        {
            return null;
        }

        var tiers = new SortedDictionary<long, Dictionary<string, decimal>>();
        foreach (JsonProperty field in entry.EnumerateObject())
        {
            Match m = TierField().Match(field.Name);
            if (!m.Success || Price(entry, field.Name) is not { } value)
            {
                continue;
            }

            long threshold = long.Parse(m.Groups[2].ValueSpan, CultureInfo.InvariantCulture) * 1000;
            if (!tiers.TryGetValue(threshold, out Dictionary<string, decimal>? fields))
            {
                tiers[threshold] = fields = [];
            }

            fields[m.Groups[1].Value] = value;
        }

        return new ModelPrice
        {
            Provider = Text(entry, "litellm_provider"),
            InputCostPerToken = input,
            OutputCostPerToken = Price(entry, "output_cost_per_token"),
            CacheReadInputTokenCost = Price(entry, "cache_read_input_token_cost"),
            CacheCreationInputTokenCost = Price(entry, "cache_creation_input_token_cost"),
            CacheCreationInputTokenCostAbove1Hour = Price(entry, "cache_creation_input_token_cost_above_1hr"),
            OutputCostPerReasoningToken = Price(entry, "output_cost_per_reasoning_token"),
            Tiers = [.. tiers.Select(t => new PriceTier(t.Key)
            {
                InputCostPerToken = Get(t.Value, "input_cost_per_token"),
                OutputCostPerToken = Get(t.Value, "output_cost_per_token"),
                CacheReadInputTokenCost = Get(t.Value, "cache_read_input_token_cost"),
                CacheCreationInputTokenCost = Get(t.Value, "cache_creation_input_token_cost"),
                CacheCreationInputTokenCostAbove1Hour = Get(t.Value, "cache_creation_input_token_cost_above_1hr"),
                OutputCostPerReasoningToken = Get(t.Value, "output_cost_per_reasoning_token"),
            })],
            EffectiveFrom = Date(entry, "effective_from"),
        };

        static decimal? Get(Dictionary<string, decimal> fields, string name) => fields.TryGetValue(name, out decimal v) ? v : null;
    }

    private static decimal? Price(JsonElement entry, string name)
    {
        if (!entry.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        // Parsed from the JSON text itself, never through double, so 3e-06 is exactly 0.000003.
        if (value.ValueKind != JsonValueKind.Number
            || !decimal.TryParse(value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out decimal price))
        {
            throw new FormatException($"Field '{name}' must be a number of US dollars per token, but it is {Shorten(value.GetRawText())}.");
        }

        if (price < 0)
        {
            throw new FormatException($"Field '{name}' is {value.GetRawText()}; a price must be zero or more.");
        }

        return price;
    }

    private static string? Text(JsonElement entry, string name)
    {
        if (!entry.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new FormatException($"Field '{name}' must be a string, but it is {Shorten(value.GetRawText())}.");
    }

    private static DateTimeOffset? Date(JsonElement entry, string name)
    {
        string? text = Text(entry, name);
        if (text is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset date)
            ? date
            : throw new FormatException($"Field '{name}' must be an ISO 8601 date such as \"2025-06-01\", but it is \"{text}\".");
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");
}
