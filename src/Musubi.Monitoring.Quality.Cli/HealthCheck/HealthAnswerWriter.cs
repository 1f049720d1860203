using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Musubi.Monitoring.Quality.Cli.Output;
using Spectre.Console;

namespace Musubi.Monitoring.Quality.Cli.HealthCheck;

/// <summary>Prints a health answer as a table (coloured on a terminal, plain otherwise) or as JSON.</summary>
internal static class HealthAnswerWriter
{
    /// <summary>Writes the answer as text: a summary line and one row per check.</summary>
    /// <param name="context">Where to write; a terminal gets a Spectre.Console table with coloured statuses.</param>
    /// <param name="answer">The answer.</param>
    public static void WriteText(CliContext context, HealthAnswer answer)
    {
        string summary = $"{answer.Url}: {Name(answer.Status)} (HTTP {answer.HttpStatus.ToString(CultureInfo.InvariantCulture)}"
            + (answer.DurationMilliseconds is { } ms ? $", {Milliseconds(ms)}" : string.Empty)
            + (answer.Checks.Count == 0 ? ", no checks listed)" : $", {Count(answer.Checks.Count)})");
        if (context.IsTerminal)
        {
            IAnsiConsole console = Terminal.Create(context);
            console.MarkupLine($"[bold]{Markup.Escape(answer.Url.ToString())}[/]: [{Colour(answer.Status)}]{Name(answer.Status)}[/]"
                + Markup.Escape(summary[(summary.IndexOf(" (HTTP ", StringComparison.Ordinal))..]));
            if (answer.Checks.Count > 0)
            {
                var table = new Table().Border(context.Unicode ? TableBorder.Rounded : TableBorder.Ascii);
                table.AddColumns("Check", "Status", "Critical", "Duration", "Description");
                foreach (HealthCheckLine check in answer.Checks)
                {
                    string colour = HealthAnswerParser.TryStatus(check.Status, out HealthStatus status) ? Colour(status) : "default";
                    table.AddRow(
                        Markup.Escape(check.Name),
                        $"[{colour}]{Markup.Escape(check.Status)}[/]",
                        Critical(check.Critical),
                        check.DurationMilliseconds is { } d ? Milliseconds(d) : "-",
                        Markup.Escape(Description(check)));
                }

                console.Write(table);
            }

            return;
        }

        context.Output.WriteLine(summary);
        if (answer.Checks.Count > 0)
        {
            var table = new PlainTable("CHECK", "STATUS", "CRITICAL", "DURATION", "DESCRIPTION");
            foreach (HealthCheckLine check in answer.Checks)
            {
                table.Add(check.Name, check.Status, Critical(check.Critical), check.DurationMilliseconds is { } d ? Milliseconds(d) : "-", Description(check));
            }

            table.Write(context.Output);
        }
    }

    /// <summary>Writes the answer as one JSON object (culture-invariant numbers).</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="answer">The answer.</param>
    public static void WriteJson(TextWriter output, HealthAnswer answer)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("url", answer.Url.ToString());
            writer.WriteNumber("http_status", answer.HttpStatus);
            writer.WriteString("status", Name(answer.Status));
            WriteNumberOrNull(writer, "duration_ms", answer.DurationMilliseconds);
            writer.WriteStartArray("checks");
            foreach (HealthCheckLine check in answer.Checks)
            {
                writer.WriteStartObject();
                writer.WriteString("name", check.Name);
                writer.WriteString("status", check.Status);
                if (check.Critical is { } critical)
                {
                    writer.WriteBoolean("critical", critical);
                }
                else
                {
                    writer.WriteNull("critical");
                }

                WriteNumberOrNull(writer, "duration_ms", check.DurationMilliseconds);
                writer.WriteString("description", check.Description);
                writer.WriteString("error", check.Error);
                writer.WriteStartArray("tags");
                foreach (string tag in check.Tags)
                {
                    writer.WriteStringValue(tag);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    /// <summary>Writes a JSON object for a request that got no health answer.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="url">The URL asked.</param>
    /// <param name="failure">Why there is no answer.</param>
    public static void WriteFailureJson(TextWriter output, Uri url, string failure)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("url", url.ToString());
            writer.WriteNull("http_status");
            writer.WriteString("status", "Unreachable");
            writer.WriteString("error", failure);
            writer.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteNumberOrNull(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "Healthy",
        HealthStatus.Degraded => "Degraded",
        _ => "Unhealthy",
    };

    private static string Colour(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "green",
        HealthStatus.Degraded => "yellow",
        _ => "red",
    };

    private static string Critical(bool? critical) => critical switch
    {
        true => "yes",
        false => "no",
        null => "-",
    };

    private static string Count(int checks) => checks == 1 ? "1 check" : checks.ToString(CultureInfo.InvariantCulture) + " checks";

    private static string Milliseconds(double ms) => ms.ToString("0.###", CultureInfo.InvariantCulture) + " ms";

    private static string Description(HealthCheckLine check) => (check.Description, check.Error) switch
    {
        (null or "", null or "") => string.Empty,
        (null or "", string error) => error,
        (string description, null or "") => description,
        (string description, string error) when error.Contains(description, StringComparison.Ordinal) => error,
        (string description, string error) when description.Contains(error, StringComparison.Ordinal) => description,
        (string description, string error) => $"{description} ({error})",
    };
}
