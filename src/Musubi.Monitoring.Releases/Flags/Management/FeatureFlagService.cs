using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Musubi.Monitoring.Releases;

/// <summary>
/// Changes feature flags at run time and keeps them: holds the editable flag set (Unleash client features JSON, the
/// source, not the compiled snapshot), and on each change compiles a new <see cref="FlagSnapshot"/>, saves the set to the
/// <see cref="IFeatureFlagStore"/> with an audit entry, then swaps it into <see cref="FeatureFlags"/> with
/// <see cref="FeatureFlags.Update"/>. Registered by <c>.AddFeatureFlagManagement()</c>.
/// </summary>
/// <remarks>
/// <para>Thread-safe: changes run one at a time. A change that fails (an unknown flag, JSON that does not compile, a
/// store error) changes nothing: neither the store nor the flags in use.</para>
/// <para>The service owns the flags of its <see cref="FeatureFlags"/>: loading a stored set, or the first change, replaces
/// whatever snapshot it had. The first call loads the stored set (the host does it at start). When the store is empty
/// the set starts as the seed given to the constructor (put in use at once), else empty (the snapshot in use is left
/// alone until the first change), and is saved with the first change.</para>
/// <para>When another process saved first (<see cref="FeatureFlagConflictException"/>), the service loads the stored set
/// (putting it in use) and applies the change again, up to 3 times; other processes' changes are otherwise picked up
/// only by <see cref="LoadAsync"/>.</para>
/// </remarks>
#pragma warning disable CA1001 // The SemaphoreSlim's wait handle is never created (no AvailableWaitHandle), so there is nothing to dispose.
public sealed class FeatureFlagService
#pragma warning restore CA1001
{
    private const int ConflictRetries = 3;
    private const string EmptyDocument = """{"version":2,"features":[]}""";

    private static readonly JsonDocumentOptions s_readOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 };

    private readonly FeatureFlags _flags;
    private readonly IFeatureFlagStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly string? _seed;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private JsonObject _document = [];
    private long _revision;
    private bool _loaded;

    /// <summary>Initializes a new instance of the <see cref="FeatureFlagService"/> class.</summary>
    /// <param name="flags">The evaluator the service updates.</param>
    /// <param name="store">Where the flags are kept.</param>
    /// <param name="timeProvider">The clock for the audit trail; <see langword="null"/> for the system clock.</param>
    /// <param name="seedUnleashJson">The flags to start with when the store is empty, as Unleash client features JSON;
    /// <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="flags"/> or <paramref name="store"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidDataException"><paramref name="seedUnleashJson"/> is not valid Unleash client features JSON.</exception>
    public FeatureFlagService(FeatureFlags flags, IFeatureFlagStore store, TimeProvider? timeProvider = null, string? seedUnleashJson = null)
    {
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(store);
        if (seedUnleashJson is not null)
        {
            _ = FlagSnapshot.FromUnleashJson(seedUnleashJson);
        }

        _flags = flags;
        _store = store;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _seed = seedUnleashJson;
    }

    /// <summary>Gets the evaluator the service updates.</summary>
    public FeatureFlags Flags => _flags;

    /// <summary>Gets the store revision the flags in use were read at or saved as; 0 before anything was saved.</summary>
    public long Revision => Volatile.Read(ref _revision);

    /// <summary>Loads the stored flags into <see cref="Flags"/> (or the seed, when the store is empty). Later changes load them on their own; call it again to pick up other processes' changes.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when the store had flags.</returns>
    /// <exception cref="InvalidDataException">The stored document is not valid Unleash client features JSON.</exception>
    public async Task<bool> LoadAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await LoadCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Gets the flags as Unleash client features JSON, as the service holds them.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The document.</returns>
    /// <exception cref="InvalidDataException">The stored document is not valid Unleash client features JSON.</exception>
    public async Task<string> ExportUnleashJsonAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
            return _document.ToJsonString();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Turns a flag on or off (Unleash's <c>enabled</c>); its strategies are kept.</summary>
    /// <param name="name">The flag name.</param>
    /// <param name="enabled">Whether the flag is on.</param>
    /// <param name="actor">Who changes it, for the audit trail.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the change is saved and in use.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> or <paramref name="actor"/> is null or white space.</exception>
    /// <exception cref="KeyNotFoundException">There is no flag <paramref name="name"/>.</exception>
    /// <exception cref="FeatureFlagConflictException">Other processes kept saving first.</exception>
    public Task SetEnabledAsync(string name, bool enabled, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        return ChangeAsync(actor, $"{(enabled ? "enabled" : "disabled")} '{name}'", doc => Find(doc, name)["enabled"] = enabled, cancellationToken);
    }

    /// <summary>
    /// Sets the share of users a flag is on for: the <c>rollout</c> parameter of the flag's first <c>flexibleRollout</c>
    /// strategy that is not disabled. A flag without one gets a <c>flexibleRollout</c> strategy with default stickiness
    /// and the flag name as group id, appended after its strategies, and every <c>default</c> strategy without
    /// constraints or segments is removed (it would keep the flag on for everyone). The flag's <c>enabled</c> is not changed.
    /// </summary>
    /// <param name="name">The flag name.</param>
    /// <param name="percent">The share, from 0 to 100.</param>
    /// <param name="actor">Who changes it, for the audit trail.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the change is saved and in use.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> or <paramref name="actor"/> is null or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percent"/> is below 0 or above 100.</exception>
    /// <exception cref="KeyNotFoundException">There is no flag <paramref name="name"/>.</exception>
    /// <exception cref="FeatureFlagConflictException">Other processes kept saving first.</exception>
    public Task SetRolloutAsync(string name, int percent, string actor, CancellationToken cancellationToken = default) =>
        SetRolloutCoreAsync(name, percent, enable: false, actor, cancellationToken);

    /// <summary>Adds a flag defined in code, or replaces the flag of the same name (in its place).</summary>
    /// <param name="definition">The flag.</param>
    /// <param name="actor">Who changes it, for the audit trail.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the change is saved and in use.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="actor"/> is null or white space.</exception>
    /// <exception cref="FeatureFlagConflictException">Other processes kept saving first.</exception>
    public Task UpsertAsync(FlagDefinition definition, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        return ChangeAsync(actor, $"upserted '{definition.Name}'", doc =>
        {
            JsonArray features = Features(doc);
            JsonObject feature = definition.ToUnleashFeature();
            int index = IndexOf(features, definition.Name);
            if (index < 0)
            {
                features.Add(feature);
            }
            else
            {
                features[index] = feature;
            }
        }, cancellationToken);
    }

    /// <summary>Removes a flag.</summary>
    /// <param name="name">The flag name.</param>
    /// <param name="actor">Who changes it, for the audit trail.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the change is saved and in use.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> or <paramref name="actor"/> is null or white space.</exception>
    /// <exception cref="KeyNotFoundException">There is no flag <paramref name="name"/>.</exception>
    /// <exception cref="FeatureFlagConflictException">Other processes kept saving first.</exception>
    public Task RemoveAsync(string name, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        return ChangeAsync(actor, $"removed '{name}'", doc =>
        {
            JsonArray features = Features(doc);
            int index = IndexOf(features, name);
            if (index < 0)
            {
                throw NotFound(name);
            }

            features.RemoveAt(index);
        }, cancellationToken);
    }

    /// <summary>Replaces every flag (and segment) with the ones of an Unleash client features document.</summary>
    /// <param name="json">The document: the body of Unleash's <c>GET /api/client/features</c>.</param>
    /// <param name="actor">Who changes it, for the audit trail.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the change is saved and in use.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="actor"/> is null or white space.</exception>
    /// <exception cref="InvalidDataException"><paramref name="json"/> is not valid Unleash client features JSON (the message names what is wrong).</exception>
    /// <exception cref="FeatureFlagConflictException">Other processes kept saving first.</exception>
    public Task ImportUnleashJsonAsync(string json, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        FlagSnapshot imported = FlagSnapshot.FromUnleashJson(json);
        imported.ThrowIfAnyUnusable();
        JsonObject parsed = Parse(json);
        return ChangeAsync(actor, string.Create(CultureInfo.InvariantCulture, $"imported {imported.Count} flags"), doc =>
        {
            doc.Clear();
            foreach (KeyValuePair<string, JsonNode?> property in (JsonObject)parsed.DeepClone())
            {
                doc[property.Key] = property.Value?.DeepClone();
            }
        }, cancellationToken);
    }

    /// <summary>Reads the audit trail, newest first.</summary>
    /// <param name="take">The most entries, 1 to 1000.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The changes, newest first.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="take"/> is not 1 to 1000.</exception>
    public Task<IReadOnlyList<FeatureFlagChange>> GetChangesAsync(int take = 100, CancellationToken cancellationToken = default) =>
        _store.GetChangesAsync(take, cancellationToken);

    /// <summary>Sets the rollout as <see cref="SetRolloutAsync"/> and, when <paramref name="enable"/> and the percent is above 0, turns the flag on in the same change.</summary>
    internal Task SetRolloutCoreAsync(string name, int percent, bool enable, string actor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        ArgumentOutOfRangeException.ThrowIfNegative(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        string description = string.Create(CultureInfo.InvariantCulture, $"set rollout of '{name}' to {percent}%");
        bool turnOn = enable && percent > 0;
        return ChangeAsync(actor, turnOn ? description + " and enabled it" : description, doc =>
        {
            JsonObject feature = Find(doc, name);
            SetRollout(feature, name, percent);
            if (turnOn)
            {
                feature["enabled"] = true;
            }
        }, cancellationToken);
    }

    private static void SetRollout(JsonObject feature, string name, int percent)
    {
        string rollout = percent.ToString(CultureInfo.InvariantCulture);
        if (feature["strategies"] is not JsonArray strategies)
        {
            strategies = [];
            feature["strategies"] = strategies;
        }

        foreach (JsonNode? node in strategies)
        {
            if (node is JsonObject strategy && Text(strategy["name"]) == "flexibleRollout" && !IsTrue(strategy["disabled"]))
            {
                if (strategy["parameters"] is not JsonObject parameters)
                {
                    parameters = [];
                    strategy["parameters"] = parameters;
                }

                parameters["rollout"] = rollout;
                return;
            }
        }

        for (int i = strategies.Count - 1; i >= 0; i--)
        {
            if (strategies[i] is JsonObject strategy && Text(strategy["name"]) == "default" && IsEmpty(strategy["constraints"]) && IsEmpty(strategy["segments"]))
            {
                strategies.RemoveAt(i);
            }
        }

        strategies.Add(new JsonObject
        {
            ["name"] = "flexibleRollout",
            ["constraints"] = new JsonArray(),
            ["parameters"] = new JsonObject { ["rollout"] = rollout, ["stickiness"] = "default", ["groupId"] = name },
        });
    }

    private static bool IsEmpty(JsonNode? node) => node is null || (node is JsonArray array && array.Count == 0);

    private static bool IsTrue(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.True;

    private static string? Text(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static JsonArray Features(JsonObject doc)
    {
        if (doc["features"] is not JsonArray features)
        {
            features = [];
            doc["features"] = features;
        }

        return features;
    }

    private static int IndexOf(JsonArray features, string name)
    {
        for (int i = 0; i < features.Count; i++)
        {
            if (features[i] is JsonObject feature && Text(feature["name"]) == name)
            {
                return i;
            }
        }

        return -1;
    }

    private static JsonObject Find(JsonObject doc, string name)
    {
        JsonArray features = Features(doc);
        int index = IndexOf(features, name);
        return index >= 0 ? (JsonObject)features[index]! : throw NotFound(name);
    }

    private static KeyNotFoundException NotFound(string name) => new($"There is no feature flag '{name}'; add it first (UpsertAsync or ImportUnleashJsonAsync).");

    private static JsonObject Parse(string json)
    {
        try
        {
            return JsonNode.Parse(json, documentOptions: s_readOptions) as JsonObject
                ?? throw new InvalidDataException("Unleash features JSON: the document is not an object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Unleash features JSON is not valid JSON: {e.Message}", e);
        }
    }

    private async Task ChangeAsync(string actor, string description, Action<JsonObject> edit, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
            for (int attempt = 0; ; attempt++)
            {
                var document = (JsonObject)_document.DeepClone();
                edit(document);
                string json = document.ToJsonString();
                FlagSnapshot snapshot = FlagSnapshot.FromUnleashJson(json);
                snapshot.ThrowIfAnyUnusable();
                var change = new FeatureFlagChange(0, _timeProvider.GetUtcNow(), actor, description);
                try
                {
                    long revision = await _store.SaveAsync(json, _revision, change, cancellationToken).ConfigureAwait(false);
                    _document = document;
                    Volatile.Write(ref _revision, revision);
                    _flags.Update(snapshot);
                    return;
                }
                catch (FeatureFlagConflictException) when (attempt < ConflictRetries)
                {
                    await LoadCoreAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task EnsureLoadedAsync(CancellationToken cancellationToken)
    {
        if (!_loaded)
        {
            await LoadCoreAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> LoadCoreAsync(CancellationToken cancellationToken)
    {
        StoredFeatureFlags? stored = await _store.LoadAsync(cancellationToken).ConfigureAwait(false);
        string json = stored?.UnleashJson ?? _seed ?? EmptyDocument;
        FlagSnapshot snapshot = FlagSnapshot.FromUnleashJson(json);
        _document = Parse(json);
        Volatile.Write(ref _revision, stored?.Revision ?? 0);
        if (stored is not null || _seed is not null)
        {
            // An empty store without a seed leaves the flags in use alone until the first change.
            _flags.Update(snapshot);
        }

        _loaded = true;
        return stored is not null;
    }
}
