using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Musubi.Monitoring.Costs;

/// <summary>
/// Per-token model prices (LiteLLM-compatible), with effective dates, configured patterns and the model-name
/// resolution that finds the price for a call.
/// </summary>
/// <remarks>
/// Thread-safe: prices and patterns may be added while other threads resolve; a resolution sees either all or none
/// of one <see cref="LoadLiteLlmJson(string)"/> call. Keys are compared case-insensitively.
/// </remarks>
public sealed partial class PricingCatalog
{
    private const string BuiltInResource = "Musubi.Monitoring.Costs.Pricing.builtin-prices.json";

    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, long> _unpriced = new(StringComparer.OrdinalIgnoreCase);
    private Dictionary<string, ModelPrice[]> _prices = new(StringComparer.OrdinalIgnoreCase);
    private ModelPattern[] _patterns = [];

    /// <summary>The number of unpriced resolutions per <c>provider/model</c> since the catalogue was created.</summary>
    /// <value>A snapshot; empty when every call was priced.</value>
    public IReadOnlyDictionary<string, long> UnpricedCounts => new Dictionary<string, long>(_unpriced, StringComparer.OrdinalIgnoreCase);

    /// <summary>The catalogue keys, in no particular order.</summary>
    public IReadOnlyCollection<string> Keys => Volatile.Read(ref _prices).Keys;

    [GeneratedRegex(@"(-\d{8}|-\d{4}-\d{2}-\d{2}|@\d{8})$", RegexOptions.CultureInvariant)]
    private static partial Regex DateSuffix();

    /// <summary>
    /// Creates a catalogue holding the built-in table of current major models (an embedded LiteLLM-format file whose
    /// <c>_source</c> entry names the public price pages and the date the figures were taken).
    /// </summary>
    /// <returns>A new catalogue; add custom prices to it as needed.</returns>
    public static PricingCatalog CreateDefault()
    {
        var catalog = new PricingCatalog();
        using Stream stream = typeof(PricingCatalog).Assembly.GetManifestResourceStream(BuiltInResource)
            ?? throw new InvalidOperationException($"The built-in price table '{BuiltInResource}' is missing from the assembly.");
        IReadOnlyList<PricingLoadIssue> issues = catalog.LoadLiteLlmJson(stream);
        if (issues.Count > 0)
        {
            throw new InvalidOperationException($"The built-in price table has a bad entry '{issues[0].ModelKey}': {issues[0].Reason}");
        }

        return catalog;
    }

    /// <summary>Creates a catalogue from options: the built-in table (unless turned off), then the custom prices and patterns.</summary>
    /// <param name="options">The options; copied, so later changes have no effect.</param>
    /// <returns>A new catalogue.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A custom price has an empty key or a <see langword="null"/> price, or a pattern is <see langword="null"/>; the message names it.</exception>
    public static PricingCatalog Create(PricingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        PricingCatalog catalog = options.IncludeBuiltInPrices ? CreateDefault() : new PricingCatalog();
        foreach (KeyValuePair<string, ModelPrice> entry in options.Prices)
        {
            if (string.IsNullOrWhiteSpace(entry.Key) || entry.Value is null)
            {
                throw new ArgumentException($"PricingOptions.Prices has an entry with key '{entry.Key}' and a {(entry.Value is null ? "null" : "set")} price; keys must be non-empty and prices set.", nameof(options));
            }

            catalog.SetPrice(entry.Key, entry.Value);
        }

        for (int i = 0; i < options.Patterns.Count; i++)
        {
            catalog.AddPattern(options.Patterns[i] ?? throw new ArgumentException($"PricingOptions.Patterns[{i}] is null.", nameof(options)));
        }

        return catalog;
    }

    /// <summary>
    /// Adds the prices of a LiteLLM <c>model_prices_and_context_window.json</c> (or a file in the same format).
    /// Entries are independent: a malformed one is skipped and reported, the rest load. An entry replaces an
    /// existing price of the same key with the same <c>effective_from</c>; other dates are kept side by side.
    /// </summary>
    /// <param name="json">The file's text.</param>
    /// <returns>The skipped entries, each with its key and reason; empty when all loaded.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidDataException">The text is not JSON or its root is not an object; the message says which.</exception>
    public IReadOnlyList<PricingLoadIssue> LoadLiteLlmJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using JsonDocument document = LiteLlmPriceReader.Parse(json);
        return Load(document);
    }

    /// <summary>Adds the prices of a LiteLLM-format file read from a stream; see <see cref="LoadLiteLlmJson(string)"/>.</summary>
    /// <param name="json">A stream of UTF-8 JSON; it is read to the end and not closed.</param>
    /// <returns>The skipped entries, each with its key and reason; empty when all loaded.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidDataException">The text is not JSON or its root is not an object; the message says which.</exception>
    public IReadOnlyList<PricingLoadIssue> LoadLiteLlmJson(Stream json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using JsonDocument document = LiteLlmPriceReader.Parse(json);
        return Load(document);
    }

    /// <summary>Adds a custom price, replacing any price of the same key with the same <see cref="ModelPrice.EffectiveFrom"/>.</summary>
    /// <param name="key">The catalogue key, for example <c>gpt-4o</c> or <c>azure/my-deployment</c>.</param>
    /// <param name="price">The price.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty or white space.</exception>
    public void SetPrice(string key, ModelPrice price)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(price);
        lock (_gate)
        {
            var next = new Dictionary<string, ModelPrice[]>(_prices, StringComparer.OrdinalIgnoreCase);
            Put(next, key, price);
            Volatile.Write(ref _prices, next);
        }
    }

    /// <summary>Adds a pattern rule; patterns are tried in the order they were added.</summary>
    /// <param name="pattern">The rule.</param>
    /// <exception cref="ArgumentNullException"><paramref name="pattern"/> is <see langword="null"/>.</exception>
    public void AddPattern(ModelPattern pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        lock (_gate)
        {
            Volatile.Write(ref _patterns, [.. _patterns, pattern]);
        }
    }

    /// <summary>
    /// Finds the price of a model, trying in order: the base-model override as a key; the model as a key;
    /// <c>provider/model</c>; the model with its leading <c>segment/</c> prefixes removed one at a time (so
    /// <c>openai/openai/gpt-4o</c> finds <c>gpt-4o</c>); the configured patterns; the model without a date suffix
    /// (<c>-20250219</c>, <c>-2024-08-06</c>, <c>@20240229</c>), also provider-qualified. There is no substring
    /// matching. When a base-model override is given the later steps run on the override, not on the deployment name.
    /// </summary>
    /// <param name="provider">The provider, for example <c>openai</c>.</param>
    /// <param name="model">The model or deployment name.</param>
    /// <param name="baseModelOverride">The base model to price instead, or <see langword="null"/>.</param>
    /// <param name="at">The time whose price applies; <see langword="null"/> takes the latest price.</param>
    /// <returns>
    /// The price and the rule that found it; or <see cref="ResolutionRule.Unpriced"/> with the reason, which is also
    /// counted in <see cref="UnpricedCounts"/>. An unpriced model is never priced at $0.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="provider"/> or <paramref name="model"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="provider"/> or <paramref name="model"/> is empty or white space.</exception>
    public ModelResolution Resolve(string provider, string model, string? baseModelOverride = null, DateTimeOffset? at = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        Dictionary<string, ModelPrice[]> prices = Volatile.Read(ref _prices);
        ModelPattern[] patterns = Volatile.Read(ref _patterns);
        string name = string.IsNullOrWhiteSpace(baseModelOverride) ? model : baseModelOverride;
        bool overridden = !ReferenceEquals(name, model);

        ModelResolution? found = Find(prices, patterns, provider, name, overridden, at);
        if (found is { IsUnpriced: false })
        {
            return found;
        }

        string reason = found?.UnpricedReason ?? (overridden
            ? $"No price for base model '{name}' (deployment '{model}', provider '{provider}'): no key '{name}', '{provider}/{name}', no key after removing provider prefixes, no matching pattern and no key without a date suffix."
            : $"No price for model '{model}' (provider '{provider}'): no key '{model}', '{provider}/{model}', no key after removing provider prefixes, no matching pattern and no key without a date suffix.");
        _unpriced.AddOrUpdate($"{provider}/{model}", 1, (_, n) => n + 1);
        return new ModelResolution { Rule = ResolutionRule.Unpriced, UnpricedReason = reason };
    }

    private static ModelResolution? Find(
        Dictionary<string, ModelPrice[]> prices, ModelPattern[] patterns, string provider, string name, bool overridden, DateTimeOffset? at)
    {
        if (Try(prices, name, overridden ? ResolutionRule.BaseModelOverride : ResolutionRule.ExactKey, at) is { } exact)
        {
            return exact;
        }

        if (Try(prices, $"{provider}/{name}", ResolutionRule.ProviderQualifiedKey, at) is { } qualified)
        {
            return qualified;
        }

        string bare = name;
        for (int slash = bare.IndexOf('/', StringComparison.Ordinal); slash >= 0; slash = bare.IndexOf('/', StringComparison.Ordinal))
        {
            bare = bare[(slash + 1)..];
            if (bare.Length > 0 && Try(prices, bare, ResolutionRule.ProviderPrefixStripped, at) is { } stripped)
            {
                return stripped;
            }
        }

        foreach (ModelPattern pattern in patterns)
        {
            if ((pattern.IsMatch(name) || pattern.IsMatch(bare)) && Try(prices, pattern.Key, ResolutionRule.Pattern, at) is { } matched)
            {
                return matched;
            }
        }

        string undated = DateSuffix().Replace(bare, string.Empty);
        if (undated.Length > 0 && undated.Length != bare.Length)
        {
            return Try(prices, undated, ResolutionRule.DateSuffixStripped, at)
                ?? Try(prices, $"{provider}/{undated}", ResolutionRule.DateSuffixStripped, at);
        }

        return null;
    }

    private static ModelResolution? Try(Dictionary<string, ModelPrice[]> prices, string key, ResolutionRule rule, DateTimeOffset? at)
    {
        if (!prices.TryGetValue(key, out ModelPrice[]? versions))
        {
            return null;
        }

        // versions are ordered by EffectiveFrom, "always" (null) first: the last one already in effect applies.
        ModelPrice? price = null;
        foreach (ModelPrice version in versions)
        {
            if (at is null || version.EffectiveFrom is null || version.EffectiveFrom <= at)
            {
                price = version;
            }
        }

        return price is null
            ? new ModelResolution
            {
                Rule = ResolutionRule.Unpriced,
                Key = key,
                UnpricedReason = string.Create(
                    CultureInfo.InvariantCulture,
                    $"Key '{key}' has no price in effect at {at:O}; its earliest price starts {versions[0].EffectiveFrom:O}."),
            }
            : new ModelResolution { Rule = rule, Key = key, Price = price };
    }

    private List<PricingLoadIssue> Load(JsonDocument document)
    {
        var issues = new List<PricingLoadIssue>();
        List<(string Key, ModelPrice Price)> loaded = LiteLlmPriceReader.Read(document, issues);
        lock (_gate)
        {
            var next = new Dictionary<string, ModelPrice[]>(_prices, StringComparer.OrdinalIgnoreCase);
            foreach ((string key, ModelPrice price) in loaded)
            {
                Put(next, key, price);
            }

            Volatile.Write(ref _prices, next);
        }

        return issues;
    }

    private static void Put(Dictionary<string, ModelPrice[]> prices, string key, ModelPrice price)
    {
        ModelPrice[] existing = prices.TryGetValue(key, out ModelPrice[]? v) ? v : [];
        prices[key] = [.. existing.Where(p => p.EffectiveFrom != price.EffectiveFrom).Append(price).OrderBy(p => p.EffectiveFrom ?? DateTimeOffset.MinValue)];
    }
}
