using System.Text.Json;
using System.Text.Json.Serialization;

namespace Musubi.Monitoring.Releases;

/// <summary>Reads and writes a <see cref="SemanticVersion"/> as its SemVer text (<c>"1.4.0-rc.1"</c>) in System.Text.Json.</summary>
internal sealed class SemanticVersionJsonConverter : JsonConverter<SemanticVersion>
{
    public override SemanticVersion Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"A semantic version must be a JSON string such as \"1.4.0\", not a {reader.TokenType}.");
        }

        string text = reader.GetString()!;
        return SemanticVersion.TryParse(text, out SemanticVersion version)
            ? version
            : throw new JsonException($"'{text}' is not a Semantic Versioning 2.0.0 version.");
    }

    public override void Write(Utf8JsonWriter writer, SemanticVersion value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString());
    }
}
