using System.Text.Json;
using System.Text.Json.Serialization;
using Musubi.Monitoring.Releases;

namespace Musubi.Monitoring.Sqlite.Releases;

/// <summary>
/// The JSON document a release is stored as. Its own shape (not <see cref="Release"/>'s), so the stored format changes
/// only with a migration, and because <see cref="Release"/> has no constructor a serializer can call.
/// </summary>
internal sealed class ReleaseDocument
{
    public required string Id { get; init; }

    public required string Title { get; init; }

    public required string Version { get; init; }

    public ReleaseType Type { get; init; }

    public ReleaseStatus Status { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? DeployedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public DateTimeOffset? RolledBackAt { get; init; }

    public DateTimeOffset? CancelledAt { get; init; }

    public IReadOnlyList<ReleaseChangeDocument> Changes { get; init; } = [];

    public IReadOnlyList<string> FeatureFlags { get; init; } = [];

    public IReadOnlyList<ReleaseTransitionDocument> History { get; init; } = [];

    /// <summary>Serializes a release (all but its revision, which the store keeps in a column).</summary>
    /// <param name="release">The release.</param>
    /// <returns>The JSON text.</returns>
    internal static string Serialize(Release release)
    {
        var document = new ReleaseDocument
        {
            Id = release.Id,
            Title = release.Title,
            Version = release.Version.ToString(),
            Type = release.Type,
            Status = release.Status,
            CreatedAt = release.CreatedAt,
            DeployedAt = release.DeployedAt,
            CompletedAt = release.CompletedAt,
            RolledBackAt = release.RolledBackAt,
            CancelledAt = release.CancelledAt,
            Changes = [.. release.Changes.Select(c => new ReleaseChangeDocument(c.Kind, c.Description, c.Reference, c.Author))],
            FeatureFlags = [.. release.FeatureFlags],
            History = [.. release.History.Select(t => new ReleaseTransitionDocument(t.At, t.Actor, t.To, t.From, t.Note))],
        };
        return JsonSerializer.Serialize(document, ReleaseJsonContext.Default.ReleaseDocument);
    }

    /// <summary>Reads a release back.</summary>
    /// <param name="id">The stored id, for messages.</param>
    /// <param name="json">The stored document.</param>
    /// <param name="revision">The stored revision.</param>
    /// <returns>The release.</returns>
    /// <exception cref="InvalidDataException">The document is not a valid release.</exception>
    internal static Release Deserialize(string id, string json, long revision)
    {
        ReleaseDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, ReleaseJsonContext.Default.ReleaseDocument);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The stored document of release {id} is not a valid release: {e.Message}", e);
        }

        if (document is null || string.IsNullOrWhiteSpace(document.Id) || string.IsNullOrWhiteSpace(document.Title))
        {
            throw new InvalidDataException($"The stored document of release {id} has no id or title.");
        }

        if (document.Id != id)
        {
            throw new InvalidDataException($"The stored document of release {id} holds release {document.Id}.");
        }

        if (!SemanticVersion.TryParse(document.Version, out SemanticVersion version))
        {
            throw new InvalidDataException($"The stored document of release {id} has version '{document.Version}', which is not a semantic version.");
        }

        if (document.Changes is null || document.FeatureFlags is null || document.History is null
            || document.Changes.Any(c => c is null || string.IsNullOrWhiteSpace(c.Description) || !Enum.IsDefined(c.Kind))
            || document.FeatureFlags.Any(string.IsNullOrWhiteSpace)
            || document.History.Count == 0
            || document.History.Any(t => t is null || string.IsNullOrWhiteSpace(t.Actor) || !Enum.IsDefined(t.To) || (t.From is { } from && !Enum.IsDefined(from))))
        {
            throw new InvalidDataException($"The stored document of release {id} has a missing list, an empty history, a null or blank entry, or a change or move of an undefined kind or status.");
        }

        if (!Enum.IsDefined(document.Type) || !Enum.IsDefined(document.Status))
        {
            throw new InvalidDataException($"The stored document of release {id} has type {document.Type} or status {document.Status}, which are not defined.");
        }

        // Release has a private constructor: Plan makes one, and every field is then set from the document.
        return Release.Plan(document.Id, document.Title, version, document.Type, "store", document.CreatedAt) with
        {
            Status = document.Status,
            DeployedAt = document.DeployedAt,
            CompletedAt = document.CompletedAt,
            RolledBackAt = document.RolledBackAt,
            CancelledAt = document.CancelledAt,
            Changes = [.. document.Changes.Select(c => new ReleaseChange(c.Kind, c.Description, c.Reference, c.Author))],
            FeatureFlags = [.. document.FeatureFlags],
            History = [.. document.History.Select(t => new ReleaseTransition(t.At, t.Actor, t.From, t.To, t.Note))],
            Revision = revision,
        };
    }
}

/// <summary>One change in a <see cref="ReleaseDocument"/>.</summary>
internal sealed record ReleaseChangeDocument(ReleaseChangeKind Kind, string Description, string? Reference = null, string? Author = null);

/// <summary>One history entry in a <see cref="ReleaseDocument"/>.</summary>
internal sealed record ReleaseTransitionDocument(DateTimeOffset At, string Actor, ReleaseStatus To, ReleaseStatus? From = null, string? Note = null);

/// <summary>Source-generated JSON for <see cref="ReleaseDocument"/>: no reflection, enums by name, camelCase.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(ReleaseDocument))]
internal sealed partial class ReleaseJsonContext : JsonSerializerContext;
