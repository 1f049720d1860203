using System.Text.Json;
using System.Text.Json.Serialization;
using Musubi.Monitoring.Incidents;

namespace Musubi.Monitoring.Sqlite.Incidents;

/// <summary>
/// The JSON document an incident is stored as. Its own shape (not <see cref="Incident"/>'s), so the stored format changes
/// only with a migration, and because <see cref="Incident"/> has no constructor a serializer can call.
/// </summary>
internal sealed class IncidentDocument
{
    public required string Id { get; init; }

    public required string Title { get; init; }

    public Severity Severity { get; init; }

    public IncidentStatus Status { get; init; }

    public DateTimeOffset DetectedAt { get; init; }

    public DateTimeOffset? AcknowledgedAt { get; init; }

    public string? AcknowledgedBy { get; init; }

    public DateTimeOffset? MitigatedAt { get; init; }

    public DateTimeOffset? ResolvedAt { get; init; }

    public DateTimeOffset? ClosedAt { get; init; }

    public string? Commander { get; init; }

    public string? Assignee { get; init; }

    public IReadOnlyList<string> Responders { get; init; } = [];

    public IReadOnlyList<string> AffectedServices { get; init; } = [];

    public IReadOnlyList<string> Tags { get; init; } = [];

    public IReadOnlyList<string> RelatedIncidents { get; init; } = [];

    public string? RootCause { get; init; }

    public string? Resolution { get; init; }

    public string? CustomerImpact { get; init; }

    public int ReopenCount { get; init; }

    public string? AlertKey { get; init; }

    public IReadOnlyList<TimelineEntryDocument> Timeline { get; init; } = [];

    /// <summary>Serializes an incident (all but its version, which the store keeps in a column).</summary>
    /// <param name="incident">The incident.</param>
    /// <returns>The JSON text.</returns>
    internal static string Serialize(Incident incident)
    {
        var document = new IncidentDocument
        {
            Id = incident.Id,
            Title = incident.Title,
            Severity = incident.Severity,
            Status = incident.Status,
            DetectedAt = incident.DetectedAt,
            AcknowledgedAt = incident.AcknowledgedAt,
            AcknowledgedBy = incident.AcknowledgedBy,
            MitigatedAt = incident.MitigatedAt,
            ResolvedAt = incident.ResolvedAt,
            ClosedAt = incident.ClosedAt,
            Commander = incident.Commander,
            Assignee = incident.Assignee,
            Responders = Array(incident.Responders),
            AffectedServices = Array(incident.AffectedServices),
            Tags = Array(incident.Tags),
            RelatedIncidents = Array(incident.RelatedIncidents),
            RootCause = incident.RootCause,
            Resolution = incident.Resolution,
            CustomerImpact = incident.CustomerImpact,
            ReopenCount = incident.ReopenCount,
            AlertKey = incident.AlertKey,
            Timeline = incident.Timeline.IsDefault ? [] : [.. incident.Timeline.Select(e => new TimelineEntryDocument(e.At, e.Actor, e.Kind, e.Text))],
        };
        return JsonSerializer.Serialize(document, IncidentJsonContext.Default.IncidentDocument);
    }

    /// <summary>Reads an incident back.</summary>
    /// <param name="id">The stored id, for messages.</param>
    /// <param name="json">The stored document.</param>
    /// <param name="version">The stored version.</param>
    /// <returns>The incident.</returns>
    /// <exception cref="InvalidDataException">The document is not a valid incident.</exception>
    internal static Incident Deserialize(string id, string json, long version)
    {
        IncidentDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, IncidentJsonContext.Default.IncidentDocument);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The stored document of incident {id} is not a valid incident: {e.Message}", e);
        }

        if (document is null || string.IsNullOrWhiteSpace(document.Id) || string.IsNullOrWhiteSpace(document.Title))
        {
            throw new InvalidDataException($"The stored document of incident {id} has no id or title.");
        }

        if (document.Id != id)
        {
            throw new InvalidDataException($"The stored document of incident {id} holds incident {document.Id}.");
        }

        if (document.Responders is null || document.AffectedServices is null || document.Tags is null || document.RelatedIncidents is null
            || document.Timeline is null || document.Timeline.Any(e => e is null)
            || new[] { document.Responders, document.AffectedServices, document.Tags, document.RelatedIncidents }.Any(l => l.Any(string.IsNullOrWhiteSpace)))
        {
            throw new InvalidDataException($"The stored document of incident {id} has a missing list or a null entry.");
        }

        if (document.Severity is < Severity.Sev1 or > Severity.Sev5 || !Enum.IsDefined(document.Status))
        {
            throw new InvalidDataException($"The stored document of incident {id} has severity {document.Severity} or status {document.Status}, which are not defined.");
        }

        // Incident has a private constructor: Open makes one, and every field is then set from the document.
        return Incident.Open(document.Id, document.Title, Severity.Sev1, document.DetectedAt, "store") with
        {
            Severity = document.Severity,
            Status = document.Status,
            AcknowledgedAt = document.AcknowledgedAt,
            AcknowledgedBy = document.AcknowledgedBy,
            MitigatedAt = document.MitigatedAt,
            ResolvedAt = document.ResolvedAt,
            ClosedAt = document.ClosedAt,
            Commander = document.Commander,
            Assignee = document.Assignee,
            Responders = [.. document.Responders],
            AffectedServices = [.. document.AffectedServices],
            Tags = [.. document.Tags],
            RelatedIncidents = [.. document.RelatedIncidents],
            RootCause = document.RootCause,
            Resolution = document.Resolution,
            CustomerImpact = document.CustomerImpact,
            ReopenCount = document.ReopenCount,
            AlertKey = document.AlertKey,
            Version = version,
            Timeline = [.. document.Timeline.Select(e => new TimelineEntry(e.At, e.Actor, e.Kind, e.Text))],
        };
    }

    private static string[] Array(System.Collections.Immutable.ImmutableArray<string> values) => values.IsDefault ? [] : [.. values];
}

/// <summary>One timeline entry in an <see cref="IncidentDocument"/>.</summary>
/// <param name="At">When.</param>
/// <param name="Actor">Who.</param>
/// <param name="Kind">What kind.</param>
/// <param name="Text">The text.</param>
internal sealed record TimelineEntryDocument(DateTimeOffset At, string Actor, string Kind, string Text);

/// <summary>Source-generated JSON for <see cref="IncidentDocument"/>: no reflection, enums by name, camelCase.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(IncidentDocument))]
internal sealed partial class IncidentJsonContext : JsonSerializerContext;
