using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Musubi.Monitoring.Incidents;

/// <summary>
/// Reads an Alertmanager webhook notification (payload version 4) into the <see cref="IncidentAlert"/>s that
/// <see cref="IncidentService.HandleAlertAsync"/> handles. The ASP.NET Core receiver (<c>MapAlertmanagerWebhook</c>)
/// uses it; call it yourself to take notifications from elsewhere (a queue, a file).
/// </summary>
/// <remarks>
/// <para>
/// Tolerant: unknown fields are ignored, and missing ones have defaults (no fingerprint: one is computed from the
/// labels; no per-alert status: the notification's; no <c>startsAt</c>: the key has no start time). Strict where a
/// guess would be wrong: invalid JSON, a <c>version</c> other than <c>"4"</c>, no <c>alerts</c> array, an alert that
/// is not an object, a status other than firing or resolved, a label that is not a string, or a time that does not
/// parse all throw <see cref="AlertmanagerPayloadException"/>, and nothing is returned.
/// </para>
/// <para>
/// <see cref="AlertGrouping.PerAlert"/> gives one alert per notification alert, keyed
/// <c>alertmanager:&lt;fingerprint&gt;@&lt;startsAt&gt;</c>, each with its own status: a resend finds the same
/// incident, and a later firing of the same alert (a new <c>startsAt</c>) opens a new one. <see cref="AlertGrouping.PerGroup"/>
/// gives one alert keyed <c>alertmanager-group:&lt;groupKey&gt;</c>, firing while any alert of the group fires, with the
/// most severe alert's severity.
/// </para>
/// <para>Thread-safe (stateless).</para>
/// </remarks>
public static partial class AlertmanagerPayload
{
    private const int MaxTitleLength = 200;
    private const int MaxDescriptionLength = 2000;

    /// <summary>Reads a notification.</summary>
    /// <param name="utf8Json">The request body.</param>
    /// <param name="options">How alerts become incidents; <see langword="null"/> for the defaults.</param>
    /// <returns>The alerts, in the order of the notification (one for <see cref="AlertGrouping.PerGroup"/>; none for an empty <c>alerts</c> array).</returns>
    /// <exception cref="AlertmanagerPayloadException">The body is not a version-4 notification (the message says what is wrong and where).</exception>
    public static IReadOnlyList<IncidentAlert> Parse(ReadOnlySpan<byte> utf8Json, AlertmanagerIngestionOptions? options = null)
    {
        options ??= new AlertmanagerIngestionOptions();
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 16 });
            document = JsonDocument.ParseValue(ref reader);
            if (utf8Json[(int)reader.BytesConsumed..].IndexOfAnyExcept(" \t\r\n"u8) >= 0)
            {
                document.Dispose();
                throw new AlertmanagerPayloadException(
                    $"The body has more after the notification (from byte {reader.BytesConsumed}); send one JSON object.");
            }
        }
        catch (JsonException ex)
        {
            throw new AlertmanagerPayloadException($"The body is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            try
            {
                return Read(document.RootElement, options);
            }
            catch (InvalidOperationException ex)
            {
                // JsonElement.GetString: a string that is not valid UTF-8, or holds a lone surrogate escape.
                throw new AlertmanagerPayloadException($"The body holds a string that is not valid Unicode: {ex.Message}", ex);
            }
        }
    }

    private static IReadOnlyList<IncidentAlert> Read(JsonElement root, AlertmanagerIngestionOptions options)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new AlertmanagerPayloadException($"The body is a JSON {Kind(root)}; an Alertmanager notification is an object.");
        }

        string? version = OptionalString(root, "version", "version");
        if (version is not null && version != "4")
        {
            throw new AlertmanagerPayloadException($"The payload version is '{Limit(version, 40)}'; only Alertmanager's version \"4\" is understood.");
        }

        string? groupStatus = OptionalString(root, "status", "status");
        if (groupStatus is not null)
        {
            _ = State(groupStatus, "status");
        }

        if (!root.TryGetProperty("alerts", out JsonElement alerts) || alerts.ValueKind != JsonValueKind.Array)
        {
            throw new AlertmanagerPayloadException("The notification has no 'alerts' array.");
        }

        var parsed = new List<ParsedAlert>(alerts.GetArrayLength());
        int index = 0;
        foreach (JsonElement alert in alerts.EnumerateArray())
        {
            parsed.Add(ParseAlert(alert, index++, groupStatus, options));
        }

        if (options.Grouping == AlertGrouping.PerAlert)
        {
            return [.. parsed.Select(a => a.Alert)];
        }

        string groupKey = OptionalString(root, "groupKey", "groupKey") is { Length: > 0 } key
            ? key
            : throw new AlertmanagerPayloadException("The notification has no 'groupKey'; it is needed to group alerts into one incident (AlertGrouping.PerGroup).");
        return parsed.Count == 0 ? [] : [Group(root, groupKey, parsed)];
    }

    private static ParsedAlert ParseAlert(JsonElement alert, int index, string? groupStatus, AlertmanagerIngestionOptions options)
    {
        string where = $"alerts[{index}]";
        if (alert.ValueKind != JsonValueKind.Object)
        {
            throw new AlertmanagerPayloadException($"{where} is a JSON {Kind(alert)}; each alert is an object.");
        }

        string status = OptionalString(alert, "status", where + ".status") ?? groupStatus
            ?? throw new AlertmanagerPayloadException($"{where} has no 'status', and neither has the notification.");
        IncidentAlertState state = State(status, where + ".status");
        SortedDictionary<string, string> labels = Map(alert, "labels", where);
        SortedDictionary<string, string> annotations = Map(alert, "annotations", where);
        DateTimeOffset? startsAt = Time(alert, "startsAt", where);
        DateTimeOffset? endsAt = Time(alert, "endsAt", where);
        string fingerprint = OptionalString(alert, "fingerprint", where + ".fingerprint") is { Length: > 0 } f ? f : Fingerprint(labels);

        string key = "alertmanager:" + fingerprint
            + (startsAt is { } s ? "@" + s.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture) : string.Empty);
        Severity severity = SeverityOf(labels, options);
        string title = Title(labels, annotations);
        var incidentAlert = new IncidentAlert(key, state, title, severity, "alertmanager")
        {
            Description = Limit(Describe(labels, annotations), MaxDescriptionLength),
            AffectedServices = labels.TryGetValue("service", out string? service) && !string.IsNullOrWhiteSpace(service) ? [service] : [],
            At = state == IncidentAlertState.Firing ? startsAt : endsAt,
            KeyIsOccurrence = startsAt is not null,
        };
        return new ParsedAlert(incidentAlert, labels.GetValueOrDefault("alertname") ?? fingerprint);
    }

    private static IncidentAlert Group(JsonElement root, string groupKey, List<ParsedAlert> alerts)
    {
        bool firing = alerts.Any(a => a.Alert.State == IncidentAlertState.Firing);
        SortedDictionary<string, string> commonLabels = Map(root, "commonLabels", "notification");
        SortedDictionary<string, string> commonAnnotations = Map(root, "commonAnnotations", "notification");
        string title = commonAnnotations.ContainsKey("summary") || commonLabels.ContainsKey("alertname")
            ? Title(commonLabels, commonAnnotations)
            : alerts[0].Alert.Title + (alerts.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $" (+{alerts.Count - 1} more)") : string.Empty);
        string description = string.Join("; ", alerts.Select(a =>
            a.Name + " " + (a.Alert.State == IncidentAlertState.Firing ? "firing" : "resolved")));
        return new IncidentAlert("alertmanager-group:" + groupKey, firing ? IncidentAlertState.Firing : IncidentAlertState.Resolved,
            title, alerts.Min(a => a.Alert.Severity), "alertmanager")
        {
            Description = Limit(description, MaxDescriptionLength),
            AffectedServices = [.. alerts.SelectMany(a => a.Alert.AffectedServices).Distinct(StringComparer.Ordinal)],
        };
    }

    private static Severity SeverityOf(SortedDictionary<string, string> labels, AlertmanagerIngestionOptions options)
    {
        if (!labels.TryGetValue(options.SeverityLabel, out string? value))
        {
            return options.DefaultSeverity;
        }

        value = value.Trim();
        if (options.SeverityMap.TryGetValue(value, out Severity mapped))
        {
            return mapped;
        }

        if (value.Length == 4 && value.StartsWith("sev", StringComparison.OrdinalIgnoreCase) && value[3] is >= '1' and <= '5')
        {
            return (Severity)(value[3] - '0');
        }

        return value.Length == 2 && value[0] is 'p' or 'P' && value[1] is >= '1' and <= '5'
            ? (Severity)(value[1] - '0')
            : options.DefaultSeverity;
    }

    private static string Title(SortedDictionary<string, string> labels, SortedDictionary<string, string> annotations)
    {
        string? name = labels.GetValueOrDefault("alertname");
        string? summary = annotations.GetValueOrDefault("summary");
        string title = (name, summary) switch
        {
            ({ Length: > 0 }, { Length: > 0 }) => name + ": " + summary,
            ({ Length: > 0 }, _) => name + ((labels.GetValueOrDefault("service") ?? labels.GetValueOrDefault("job") ?? labels.GetValueOrDefault("instance"))
                is { Length: > 0 } target ? " on " + target : string.Empty),
            (_, { Length: > 0 }) => summary,
            _ => "Alert " + Fingerprint(labels),
        };
        title = string.Join(' ', title.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return Limit(title.Length == 0 ? "Alert " + Fingerprint(labels) : title, MaxTitleLength);
    }

    private static string Describe(SortedDictionary<string, string> labels, SortedDictionary<string, string> annotations)
    {
        var text = new StringBuilder();
        foreach ((string name, string value) in labels)
        {
            text.Append(text.Length == 0 ? string.Empty : ", ").Append(name).Append('=').Append(value);
        }

        if (annotations.TryGetValue("description", out string? description) && description.Length > 0)
        {
            text.Append(". ").Append(description);
        }

        if (annotations.TryGetValue("runbook_url", out string? runbook) && runbook.Length > 0)
        {
            text.Append(". Runbook: ").Append(runbook);
        }

        return text.ToString();
    }

    private static string Fingerprint(SortedDictionary<string, string> labels)
    {
        var text = new StringBuilder();
        foreach ((string name, string value) in labels)
        {
            text.Append(name).Append('\u0000').Append(value).Append('\u0000');
        }

        return "labels-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())).AsSpan(0, 8));
    }

    private static IncidentAlertState State(string status, string where) => status switch
    {
        "firing" => IncidentAlertState.Firing,
        "resolved" => IncidentAlertState.Resolved,
        _ => throw new AlertmanagerPayloadException($"{where} is '{Limit(status, 40)}'; use \"firing\" or \"resolved\"."),
    };

    private static SortedDictionary<string, string> Map(JsonElement element, string property, string where)
    {
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!element.TryGetProperty(property, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return map;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new AlertmanagerPayloadException($"{where}.{property} is a JSON {Kind(value)}; it is an object of strings.");
        }

        foreach (JsonProperty entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                throw new AlertmanagerPayloadException($"{where}.{property}.{Limit(entry.Name, 60)} is a JSON {Kind(entry.Value)}; label and annotation values are strings.");
            }

            map[entry.Name] = entry.Value.GetString()!;
        }

        return map;
    }

    private static DateTimeOffset? Time(JsonElement element, string property, string where)
    {
        string? text = OptionalString(element, property, where + "." + property);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        // RFC 3339 only: a date, a time, an optional fraction (Go writes nanoseconds; .NET keeps 7 digits) and an offset.
        Match rfc3339 = Rfc3339().Match(text);
        if (!rfc3339.Success || !DateTimeOffset.TryParseExact(
                rfc3339.Groups["head"].Value + "T" + rfc3339.Groups["clock"].Value
                    + (rfc3339.Groups["fraction"].Success ? "." + rfc3339.Groups["fraction"].Value.PadRight(9, '0')[..7] : string.Empty)
                    + (rfc3339.Groups["offset"].Value is "Z" or "z" ? "+00:00" : rfc3339.Groups["offset"].Value),
                rfc3339.Groups["fraction"].Success ? "yyyy-MM-dd'T'HH:mm:ss.fffffffzzz" : "yyyy-MM-dd'T'HH:mm:sszzz",
                CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset time))
        {
            throw new AlertmanagerPayloadException($"{where}.{property} is '{Limit(text, 60)}'; use an RFC 3339 time such as 2026-12-04T10:00:00Z.");
        }

        // Alertmanager writes Go's zero time for "not set".
        return time.Year <= 1 ? null : time;
    }

    private static string? OptionalString(JsonElement element, string property, string where)
    {
        if (!element.TryGetProperty(property, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new AlertmanagerPayloadException($"{where} is a JSON {Kind(value)}; it is a string.");
    }

    private static string Kind(JsonElement element) => element.ValueKind.ToString().ToLowerInvariant();

    private static string Limit(string text, int length)
    {
        if (text.Length <= length)
        {
            return text;
        }

        // Never cut a surrogate pair in two: the half left over is not Unicode, and strict encoders refuse it.
        int cut = length - 1;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return string.Concat(text.AsSpan(0, cut), "…");
    }

    [GeneratedRegex(@"^(?<head>\d{4}-\d{2}-\d{2})[Tt](?<clock>\d{2}:\d{2}:\d{2})(?:\.(?<fraction>\d{1,9}))?(?<offset>[Zz]|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();

    private sealed record ParsedAlert(IncidentAlert Alert, string Name);
}

/// <summary>An Alertmanager notification could not be read; the message says what is wrong and where.</summary>
public sealed class AlertmanagerPayloadException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public AlertmanagerPayloadException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    public AlertmanagerPayloadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public AlertmanagerPayloadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
