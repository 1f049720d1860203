using System.Globalization;
using System.Text;

namespace Musubi.Monitoring.Slo;

/// <summary>The few YAML forms the generated files use, written so any text stays one safe scalar.</summary>
internal static class YamlText
{
    /// <summary>A double-quoted scalar: backslash, quote and every control or non-ASCII character escaped.</summary>
    public static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (char c in value)
        {
            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '"' => text.Append("\\\""),
                '\n' => text.Append(@"\n"),
                '\t' => text.Append(@"\t"),
                _ when c < ' ' || c > '~' => text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => text.Append(c),
            };
        }

        return text.Append('"').ToString();
    }

    /// <summary>Appends <c>key: |-</c> and the lines of <paramref name="value"/> indented one level deeper.</summary>
    public static StringBuilder Block(this StringBuilder yaml, string indent, string key, string value)
    {
        yaml.Append(indent).Append(key).Append(": |-\n");
        foreach (string line in value.Split('\n'))
        {
            yaml.Append(indent).Append("  ").Append(line.TrimEnd()).Append('\n');
        }

        return yaml;
    }

    /// <summary>Appends <c>key: "value"</c>.</summary>
    public static StringBuilder Pair(this StringBuilder yaml, string indent, string key, string value) =>
        yaml.Append(indent).Append(key).Append(": ").Append(Quote(value)).Append('\n');
}
