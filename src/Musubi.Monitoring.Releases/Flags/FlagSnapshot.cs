using System.Collections.Frozen;
using System.Text.Json;

namespace Musubi.Monitoring.Releases;

/// <summary>
/// An immutable, compiled set of feature flags: every strategy, constraint value, number, date and version is parsed
/// once here, so evaluation only compares. Load one from Unleash's client features JSON or build one from code.
/// </summary>
/// <remarks>Snapshots are immutable and safe to share between threads; <see cref="FeatureFlags.Update"/> swaps them atomically.</remarks>
public sealed class FlagSnapshot
{
    private static readonly JsonDocumentOptions s_jsonOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 };

    private readonly FrozenDictionary<string, CompiledFlag> _flags;

    // The flag found last. Callers name flags with literals and compiled names are interned, so the next call for the
    // same flag is usually a reference check rather than a hash lookup. A reference read or write is atomic and the
    // flag is immutable, so a race only costs a lookup.
    private CompiledFlag? _lastFound;

    private FlagSnapshot(IEnumerable<CompiledFlag> flags)
    {
        var byName = new Dictionary<string, CompiledFlag>(StringComparer.Ordinal);
        foreach (CompiledFlag flag in flags)
        {
            if (!byName.TryAdd(flag.Name, flag))
            {
                throw new ArgumentException($"The flag name '{flag.Name}' appears twice; flag names must be unique.", nameof(flags));
            }
        }

        _flags = byName.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Gets a snapshot without flags.</summary>
    public static FlagSnapshot Empty { get; } = new([]);

    /// <summary>Gets the number of flags.</summary>
    public int Count => _flags.Count;

    /// <summary>Gets the flag names.</summary>
    public IReadOnlyCollection<string> FlagNames => _flags.Keys;

    /// <summary>Reads Unleash's client features JSON: the body of <c>GET /api/client/features</c>, or the <c>state</c> object of a client specification file.</summary>
    /// <param name="json">The document: an object with a <c>features</c> array and optionally <c>segments</c>.</param>
    /// <returns>The compiled snapshot.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidDataException">The text is not JSON, or a feature, strategy, constraint or variant has the wrong shape (the message names it), or two features share a name.</exception>
    public static FlagSnapshot FromUnleashJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using JsonDocument document = JsonDocument.Parse(json, s_jsonOptions);
            return FromDocument(document);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Unleash features JSON is not valid JSON: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // A JsonElement read as the wrong kind ("weight": true, a segment id as a string) or an invalid string.
            throw new InvalidDataException($"Unleash features JSON holds a value of the wrong kind: {e.Message}", e);
        }
    }

    /// <summary>Reads Unleash's client features JSON from UTF-8 bytes.</summary>
    /// <param name="utf8Json">The document: an object with a <c>features</c> array and optionally <c>segments</c>.</param>
    /// <returns>The compiled snapshot.</returns>
    /// <exception cref="InvalidDataException">The bytes are not JSON, or a feature, strategy, constraint or variant has the wrong shape (the message names it), or two features share a name.</exception>
    public static FlagSnapshot FromUnleashJson(ReadOnlyMemory<byte> utf8Json)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(utf8Json, s_jsonOptions);
            return FromDocument(document);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Unleash features JSON is not valid JSON: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // A JsonElement read as the wrong kind ("weight": true, a segment id as a string) or an invalid string.
            throw new InvalidDataException($"Unleash features JSON holds a value of the wrong kind: {e.Message}", e);
        }
    }

    /// <summary>Builds a snapshot from flags defined in code.</summary>
    /// <param name="flags">The flags, for example <see cref="FlagDefinition.Percentage"/>.</param>
    /// <returns>The compiled snapshot.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="flags"/> or one of its items is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Two flags share a name.</exception>
    public static FlagSnapshot FromDefinitions(params IEnumerable<FlagDefinition> flags)
    {
        ArgumentNullException.ThrowIfNull(flags);
        return new FlagSnapshot(flags.Select(f => (f ?? throw new ArgumentNullException(nameof(flags), "A flag definition is null.")).Compile()));
    }

    /// <summary>Tells whether the snapshot has a flag.</summary>
    /// <param name="name">The flag name.</param>
    /// <returns><see langword="true"/> when the flag exists.</returns>
    public bool Contains(string name) => name is not null && _flags.ContainsKey(name);

    internal CompiledFlag? Find(string name)
    {
        CompiledFlag? last = _lastFound;
        if (last is not null && ReferenceEquals(last.Name, name))
        {
            return last;
        }

        CompiledFlag? flag = _flags.GetValueOrDefault(name);
        if (flag is not null && !ReferenceEquals(flag, last))
        {
            _lastFound = flag;
        }

        return flag;
    }

    private static FlagSnapshot FromDocument(JsonDocument document)
    {
        List<CompiledFlag> flags = UnleashJson.Read(document.RootElement);
        try
        {
            return new FlagSnapshot(flags);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException("Unleash features JSON: " + e.Message.Split(" (Parameter", 2)[0], e);
        }
    }

    /// <summary>
    /// Throws when a flag could not be compiled (such as a rollout that is not a number). Loading keeps such flags, so
    /// evaluation answers the caller's default with <see cref="FlagErrorCode.ParseError"/>; the flag management refuses
    /// them instead, so a bad change changes nothing.
    /// </summary>
    /// <exception cref="InvalidDataException">A flag could not be compiled; the message names each and why.</exception>
    internal void ThrowIfAnyUnusable()
    {
        string[] errors = [.. _flags.Values.Where(f => f.ParseError is not null).Select(f => $"'{f.Name}': {f.ParseError}").Order(StringComparer.Ordinal)];
        if (errors.Length > 0)
        {
            throw new InvalidDataException("These flags cannot be evaluated: " + string.Join("; ", errors));
        }
    }
}
