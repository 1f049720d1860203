using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Musubi.Monitoring.Incidents;

/// <summary>Writes and reads a <see cref="PostMortem"/> as JSON (schema version 1).</summary>
internal static class PostMortemJson
{
    private const int SchemaVersion = 1;

    private static readonly JsonWriterOptions s_options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(PostMortem p)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, s_options))
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", SchemaVersion);
            json.WriteString("incidentId", p.IncidentId);
            json.WriteString("title", p.Title);
            json.WriteString("severity", EnumName(p.Severity));
            json.WriteString("status", EnumName(p.Status));
            json.WriteString("summary", p.Summary);
            json.WriteString("impact", p.Impact);
            Strings(json, "rootCauses", p.RootCauses);
            json.WriteString("trigger", p.Trigger);
            json.WriteString("resolution", p.Resolution);
            json.WriteString("detection", p.Detection);
            json.WriteStartArray("actionItems");
            foreach (ActionItem item in p.ActionItems)
            {
                json.WriteStartObject();
                json.WriteString("description", item.Description);
                json.WriteString("type", EnumName(item.Type));
                json.WriteString("owner", item.Owner);
                json.WriteString("dueDate", item.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                json.WriteString("status", EnumName(item.Status));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("lessonsLearned");
            Strings(json, "wentWell", p.LessonsLearned.WentWell);
            Strings(json, "wentWrong", p.LessonsLearned.WentWrong);
            Strings(json, "gotLucky", p.LessonsLearned.GotLucky);
            json.WriteEndObject();
            Time(json, "detectedAt", p.DetectedAt);
            Time(json, "acknowledgedAt", p.AcknowledgedAt);
            Time(json, "mitigatedAt", p.MitigatedAt);
            Time(json, "resolvedAt", p.ResolvedAt);
            json.WriteStartArray("timeline");
            foreach (TimelineEntry entry in p.Timeline)
            {
                json.WriteStartObject();
                Time(json, "at", entry.At);
                json.WriteString("actor", entry.Actor);
                json.WriteString("kind", entry.Kind);
                json.WriteString("text", entry.Text);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            Strings(json, "authors", p.Authors);
            Time(json, "createdAt", p.CreatedAt);
            Time(json, "updatedAt", p.UpdatedAt);
            Time(json, "publishedAt", p.PublishedAt);
            json.WriteNumber("version", p.Version);
            json.WriteStartArray("revisions");
            foreach (PostMortemRevision revision in p.Revisions)
            {
                json.WriteStartObject();
                json.WriteNumber("version", revision.Version);
                Time(json, "at", revision.At);
                json.WriteString("author", revision.Author);
                json.WriteString("change", revision.Change);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static PostMortem Read(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text, "json");
        using JsonDocument document = JsonDocument.Parse(text);
        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"A post-mortem is a JSON object, not {root.ValueKind}.");
        }

        if (!root.TryGetProperty("schemaVersion", out JsonElement schema) || schema.ValueKind != JsonValueKind.Number
            || !schema.TryGetInt32(out int version) || version != SchemaVersion)
        {
            throw new JsonException($"'schemaVersion' must be {SchemaVersion}.");
        }

        try
        {
            PostMortemStatus status = Enum<PostMortemStatus>(root, "status");
            DateTimeOffset? published = OptionalTime(root, "publishedAt");
            int revision = Int(root, "version");
            if (revision < 1)
            {
                throw new JsonException($"'version' is {revision}; it must be at least 1.");
            }

            PostMortem postMortem = PostMortem.Restore(
                NonBlank(root, "incidentId"),
                NonBlank(root, "title"),
                Enum<Severity>(root, "severity"),
                status,
                String(root, "summary"),
                String(root, "impact"),
                LessonsLearned.Checked(Strings(root, "rootCauses"), "rootCauses"),
                String(root, "trigger"),
                String(root, "resolution"),
                String(root, "detection"),
                [.. Array(root, "actionItems").Select(item => new ActionItem(
                    NonBlank(item, "description"),
                    Enum<ActionItemType>(item, "type"),
                    NonBlank(item, "owner"),
                    Date(item, "dueDate"),
                    Enum<ActionItemStatus>(item, "status")))],
                Lessons(Property(root, "lessonsLearned", JsonValueKind.Object)),
                [.. Array(root, "timeline").Select(entry => new TimelineEntry(
                    RequiredTime(entry, "at"), NonBlank(entry, "actor"), NonBlank(entry, "kind"), String(entry, "text")))],
                (RequiredTime(root, "detectedAt"), OptionalTime(root, "acknowledgedAt"), OptionalTime(root, "mitigatedAt"), OptionalTime(root, "resolvedAt")),
                LessonsLearned.Checked(Strings(root, "authors"), "authors"),
                (RequiredTime(root, "createdAt"), RequiredTime(root, "updatedAt"), published),
                revision,
                [.. Array(root, "revisions").Select(r => new PostMortemRevision(
                    Int(r, "version"), RequiredTime(r, "at"), NonBlank(r, "author"), String(r, "change")))]);

            if (postMortem.Authors.IsEmpty)
            {
                throw new JsonException("'authors' is empty; a post-mortem has at least the author who created it.");
            }

            for (int i = 0; i < postMortem.Revisions.Length; i++)
            {
                if (postMortem.Revisions[i].Version != i + 1)
                {
                    throw new JsonException($"'revisions' entry {i} has version {postMortem.Revisions[i].Version}; revisions are numbered 1, 2, 3 and so on.");
                }
            }

            if (postMortem.Revisions.Length != revision)
            {
                throw new JsonException($"'version' is {revision} but 'revisions' holds {postMortem.Revisions.Length}; there is one revision per version.");
            }

            if ((status == PostMortemStatus.Published) != (published is not null))
            {
                throw new JsonException($"'publishedAt' must be set exactly when 'status' is published; status is {EnumName(status)}.");
            }

            if (status == PostMortemStatus.Published && postMortem.MissingForPublication is { IsEmpty: false } missing)
            {
                throw new JsonException($"The post-mortem is published but {string.Join(", ", missing)} {(missing.Length == 1 ? "is" : "are")} empty.");
            }

            return postMortem;
        }
        catch (InvalidOperationException e)
        {
            // JsonElement accessors: an array entry of the wrong kind ("actionItems":[1]) or a string that is not valid Unicode.
            throw new JsonException($"The post-mortem JSON holds a value of the wrong kind or an invalid string: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            throw new JsonException($"The post-mortem JSON holds an invalid value: {e.Message}", e);
        }
    }

    private static string EnumName<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    private static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (string value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    private static void Time(Utf8JsonWriter json, string name, DateTimeOffset? at)
    {
        if (at is { } time)
        {
            json.WriteString(name, time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static JsonElement Property(JsonElement parent, string name, JsonValueKind kind) =>
        parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == kind
            ? value
            : throw new JsonException($"'{name}' is missing or not a JSON {kind.ToString().ToLowerInvariant()}.");

    private static string String(JsonElement parent, string name) => Property(parent, name, JsonValueKind.String).GetString()!;

    private static string NonBlank(JsonElement parent, string name)
    {
        string value = String(parent, name);
        return string.IsNullOrWhiteSpace(value) ? throw new JsonException($"'{name}' is empty.") : value;
    }

    private static int Int(JsonElement parent, string name) =>
        Property(parent, name, JsonValueKind.Number).TryGetInt32(out int value)
            ? value
            : throw new JsonException($"'{name}' is not a 32-bit integer.");

    private static JsonElement.ArrayEnumerator Array(JsonElement parent, string name) =>
        Property(parent, name, JsonValueKind.Array).EnumerateArray();

    private static ImmutableArray<string> Strings(JsonElement parent, string name) =>
        [.. Array(parent, name).Select(e => e.ValueKind == JsonValueKind.String
            ? e.GetString()!
            : throw new JsonException($"'{name}' holds a {e.ValueKind} where a string is expected."))];

    private static LessonsLearned Lessons(JsonElement lessons) => new()
    {
        WentWell = Strings(lessons, "wentWell"),
        WentWrong = Strings(lessons, "wentWrong"),
        GotLucky = Strings(lessons, "gotLucky"),
    };

    private static T Enum<T>(JsonElement parent, string name)
        where T : struct, Enum
    {
        string text = String(parent, name);
        foreach (T value in System.Enum.GetValues<T>())
        {
            if (EnumName(value) == text)
            {
                return value;
            }
        }

        throw new JsonException($"'{name}' is '{text}'; use one of {string.Join(", ", System.Enum.GetValues<T>().Select(EnumName))}.");
    }

    private static DateOnly Date(JsonElement parent, string name)
    {
        string text = String(parent, name);
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly date)
            ? date
            : throw new JsonException($"'{name}' is '{text}'; use yyyy-MM-dd.");
    }

    private static DateTimeOffset RequiredTime(JsonElement parent, string name) =>
        Property(parent, name, JsonValueKind.String).TryGetDateTimeOffset(out DateTimeOffset at)
            ? at
            : throw new JsonException($"'{name}' is not an ISO 8601 time.");

    private static DateTimeOffset? OptionalTime(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Null ? null : RequiredTime(parent, name);
}
