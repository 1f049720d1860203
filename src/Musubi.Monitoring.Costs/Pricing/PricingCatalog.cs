using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
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
/// <para>
/// Which key (and rule) a model name resolves to is cached per name (provider, model and base model, compared
/// ordinally) for up to 4,096 names, so the resolution chain runs once per name; the price in effect at a call's
/// timestamp is still chosen on every call. Adding prices or patterns starts a new, empty cache.
/// </para>
/// </remarks>
public sealed partial class PricingCatalog
{
    private const string BuiltInResource = "Musubi.Monitoring.Costs.Pricing.builtin-prices.json";

    /// <summary>How many distinct (provider, model, base model) names keep their resolution cached per catalogue version.</summary>
    internal const int MaxCachedResolutions = 4096;

    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, long> _unpriced = new(StringComparer.OrdinalIgnoreCase);
    private CatalogState _state = new(new Dictionary<string, ModelPrice[]>(StringComparer.OrdinalIgnoreCase), []);

    /// <summary>The number of unpriced resolutions per <c>provider/model</c> since the catalogue was created.</summary>
    /// <value>A snapshot; empty when every call was priced.</value>
    public IReadOnlyDictionary<string, long> UnpricedCounts => new Dictionary<string, long>(_unpriced, StringComparer.OrdinalIgnoreCase);

    /// <summary>The catalogue keys, in no particular order.</summary>
    public IReadOnlyCollection<string> Keys => Volatile.Read(ref _state).Prices.Keys;

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
            var next = new Dictionary<string, ModelPrice[]>(_state.Prices, StringComparer.OrdinalIgnoreCase);
            Put(next, key, price);
            Volatile.Write(ref _state, new CatalogState(next, _state.Patterns));
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
            Volatile.Write(ref _state, new CatalogState(_state.Prices, [.. _state.Patterns, pattern]));
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
        return ResolveChecked(provider, model, baseModelOverride, at);
    }

    /// <summary><see cref="Resolve"/> for names already checked (an <see cref="LlmUsage"/>'s are, by its constructor).</summary>
    internal ModelResolution ResolveChecked(string provider, string model, string? baseModelOverride, DateTimeOffset? at)
    {
        CatalogState state = Volatile.Read(ref _state);
        ResolvedKey resolved = state.Lookup(provider, model, baseModelOverride);
        if (resolved.Select(at) is { } priced)
        {
            return priced;
        }

        string name = string.IsNullOrWhiteSpace(baseModelOverride) ? model : baseModelOverride;
        bool overridden = !ReferenceEquals(name, model);
        string reason = resolved.Key is { } key
            ? string.Create(
                CultureInfo.InvariantCulture,
                $"Key '{key}' has no price in effect at {at:O}; its earliest price starts {resolved.Versions[0].EffectiveFrom:O}.")
            : overridden
            ? $"No price for base model '{name}' (deployment '{model}', provider '{provider}'): no key '{name}', '{provider}/{name}', no key after removing provider prefixes, no matching pattern and no key without a date suffix."
            : $"No price for model '{model}' (provider '{provider}'): no key '{model}', '{provider}/{model}', no key after removing provider prefixes, no matching pattern and no key without a date suffix.";
        _unpriced.AddOrUpdate($"{provider}/{model}", 1, (_, n) => n + 1);
        return new ModelResolution { Rule = ResolutionRule.Unpriced, UnpricedReason = reason };
    }

    /// <summary>
    /// The resolution chain: the first catalogue key it finds and the rule that found it, or <see cref="ResolvedKey.None"/>.
    /// A key found here ends the chain even when none of its prices is in effect yet (the call is then unpriced).
    /// </summary>
    private static ResolvedKey Find(
        Dictionary<string, ModelPrice[]> prices, ModelPattern[] patterns, string provider, string name, bool overridden)
    {
        if (prices.TryGetValue(name, out ModelPrice[]? versions))
        {
            return new ResolvedKey(overridden ? ResolutionRule.BaseModelOverride : ResolutionRule.ExactKey, name, versions);
        }

        string qualified = $"{provider}/{name}";
        if (prices.TryGetValue(qualified, out versions))
        {
            return new ResolvedKey(ResolutionRule.ProviderQualifiedKey, qualified, versions);
        }

        string bare = name;
        for (int slash = bare.IndexOf('/', StringComparison.Ordinal); slash >= 0; slash = bare.IndexOf('/', StringComparison.Ordinal))
        {
            bare = bare[(slash + 1)..];
            if (bare.Length > 0 && prices.TryGetValue(bare, out versions))
            {
                return new ResolvedKey(ResolutionRule.ProviderPrefixStripped, bare, versions);
            }
        }

        foreach (ModelPattern pattern in patterns)
        {
            if ((pattern.IsMatch(name) || pattern.IsMatch(bare)) && prices.TryGetValue(pattern.Key, out versions))
            {
                return new ResolvedKey(ResolutionRule.Pattern, pattern.Key, versions);
            }
        }

        string undated = DateSuffix().Replace(bare, string.Empty);
        if (undated.Length > 0 && undated.Length != bare.Length)
        {
            if (prices.TryGetValue(undated, out versions))
            {
                return new ResolvedKey(ResolutionRule.DateSuffixStripped, undated, versions);
            }

            string qualifiedUndated = $"{provider}/{undated}";
            if (prices.TryGetValue(qualifiedUndated, out versions))
            {
                return new ResolvedKey(ResolutionRule.DateSuffixStripped, qualifiedUndated, versions);
            }
        }

        return ResolvedKey.None;
    }

    private List<PricingLoadIssue> Load(JsonDocument document)
    {
        var issues = new List<PricingLoadIssue>();
        List<(string Key, ModelPrice Price)> loaded = LiteLlmPriceReader.Read(document, issues);
        lock (_gate)
        {
            var next = new Dictionary<string, ModelPrice[]>(_state.Prices, StringComparer.OrdinalIgnoreCase);
            foreach ((string key, ModelPrice price) in loaded)
            {
                Put(next, key, price);
            }

            Volatile.Write(ref _state, new CatalogState(next, _state.Patterns));
        }

        return issues;
    }

    private static void Put(Dictionary<string, ModelPrice[]> prices, string key, ModelPrice price)
    {
        ModelPrice[] existing = prices.TryGetValue(key, out ModelPrice[]? v) ? v : [];
        prices[key] = [.. existing.Where(p => p.EffectiveFrom != price.EffectiveFrom).Append(price).OrderBy(p => p.EffectiveFrom ?? DateTimeOffset.MinValue)];
    }

    /// <summary>One version of the catalogue: its prices, its patterns and the names resolved against them so far.</summary>
    private sealed class CatalogState(Dictionary<string, ModelPrice[]> prices, ModelPattern[] patterns)
    {
        /// <summary>Slots of the identity cache in front of <see cref="_cache"/>; a power of two.</summary>
        private const int RecentSlots = 16;

        private readonly ConcurrentDictionary<(string Provider, string Model, string? BaseModel), ResolvedKey> _cache = new();
        private readonly Recent?[] _recent = new Recent?[RecentSlots];
        private int _cached;

        public Dictionary<string, ModelPrice[]> Prices { get; } = prices;

        public ModelPattern[] Patterns { get; } = patterns;

        public ResolvedKey Lookup(string provider, string model, string? baseModelOverride)
        {
            // Callers pass the same string instances again and again (literals, a client's configured model id), so a
            // small direct-mapped cache keyed by reference answers before any string is hashed. A slot holds one
            // immutable entry and is replaced whole, so a race between threads only costs a dictionary lookup.
            int slot = RuntimeHelpers.GetHashCode(model) & (RecentSlots - 1);
            Recent? recent = Volatile.Read(ref _recent[slot]);
            if (recent is not null
                && ReferenceEquals(recent.Model, model)
                && ReferenceEquals(recent.Provider, provider)
                && ReferenceEquals(recent.BaseModel, baseModelOverride))
            {
                return recent.Resolved;
            }

            // Equal text in other instances (a model name parsed from each response) is found in the dictionary without
            // taking the slot, so such callers allocate nothing here either.

            ResolvedKey resolved = LookupByValue(provider, model, baseModelOverride);
            if (recent is null || !recent.Matches(provider, model, baseModelOverride))
            {
                Volatile.Write(ref _recent[slot], new Recent(provider, model, baseModelOverride, resolved));
            }

            return resolved;
        }

        private ResolvedKey LookupByValue(string provider, string model, string? baseModelOverride)
        {
            var name = (provider, model, baseModelOverride);
            if (_cache.TryGetValue(name, out ResolvedKey? resolved))
            {
                return resolved;
            }

            string priced = string.IsNullOrWhiteSpace(baseModelOverride) ? model : baseModelOverride;
            resolved = Find(Prices, Patterns, provider, priced, overridden: !ReferenceEquals(priced, model));

            // Bounded: model names come from callers, and a stream of made-up names must not grow memory without end.
            if (Volatile.Read(ref _cached) < MaxCachedResolutions && _cache.TryAdd(name, resolved))
            {
                Interlocked.Increment(ref _cached);
            }

            return resolved;
        }
    }

    /// <summary>One slot of the identity cache: the exact string instances last looked up there and their answer.</summary>
    private sealed record Recent(string Provider, string Model, string? BaseModel, ResolvedKey Resolved)
    {
        public bool Matches(string provider, string model, string? baseModel) =>
            string.Equals(Model, model, StringComparison.Ordinal)
            && string.Equals(Provider, provider, StringComparison.Ordinal)
            && string.Equals(BaseModel, baseModel, StringComparison.Ordinal);
    }

    /// <summary>The key a name resolved to, its price versions, and one ready-made resolution per version.</summary>
    private sealed class ResolvedKey
    {
        public static readonly ResolvedKey None = new(ResolutionRule.Unpriced, null, []);

        private readonly ModelResolution[] _resolutions;

        public ResolvedKey(ResolutionRule rule, string? key, ModelPrice[] versions)
        {
            Key = key;
            Versions = versions;
            _resolutions = new ModelResolution[versions.Length];
            for (int i = 0; i < versions.Length; i++)
            {
                _resolutions[i] = new ModelResolution { Rule = rule, Key = key, Price = versions[i] };
            }
        }

        public string? Key { get; }

        /// <summary>Ordered by <see cref="ModelPrice.EffectiveFrom"/>, "always" (null) first.</summary>
        public ModelPrice[] Versions { get; }

        /// <summary>The resolution of the last version already in effect at <paramref name="at"/> (the latest when null), or null.</summary>
        public ModelResolution? Select(DateTimeOffset? at)
        {
            ModelResolution? selected = null;
            for (int i = 0; i < Versions.Length; i++)
            {
                DateTimeOffset? from = Versions[i].EffectiveFrom;
                if (at is null || from is null || from <= at)
                {
                    selected = _resolutions[i];
                }
            }

            return selected;
        }
    }
}
