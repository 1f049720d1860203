using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Musubi.Monitoring.Costs.Cli;

/// <summary>Indented JSON with <c>\n</c> line ends, written by a callback; money goes in as exact decimal strings.</summary>
internal static class JsonOutput
{
    // The output is read by people and scripts, never embedded in HTML: apostrophes and non-ASCII text stay as they are.
    private static readonly JsonWriterOptions s_options = new() { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes a JSON document.</summary>
    /// <param name="write">Writes the document's one value.</param>
    /// <returns>The JSON text, ending with a line end.</returns>
    public static string Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, s_options))
        {
            write(json);
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>Writes a property whose value is a string or <c>null</c>.</summary>
    /// <param name="json">The writer.</param>
    /// <param name="name">The property name.</param>
    /// <param name="value">The value.</param>
    public static void StringOrNull(this Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
