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
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                // YAML escapes code points, not UTF-16 units.
                text.Append(CultureInfo.InvariantCulture, $"\\U{char.ConvertToUtf32(c, value[++i]):X8}");
                continue;
            }

            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '"' => text.Append("\\\""),
                '\n' => text.Append(@"\n"),
                '\t' => text.Append(@"\t"),
                _ when char.IsSurrogate(c) => text.Append(@"\uFFFD"),
                _ when c < ' ' || c > '~' => text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => text.Append(c),
            };
        }

        return text.Append('"').ToString();
    }

    /// <summary>
    /// Text that Prometheus' alert templating leaves as it is: <c>{{</c> and <c>}}</c> become template actions that
    /// print them, so a service named <c>svc {{ .Value }}</c> is a name, not a template.
    /// </summary>
    public static string TemplateLiteral(string value) =>
        value.Contains("{{", StringComparison.Ordinal) || value.Contains("}}", StringComparison.Ordinal)
            ? value.Replace("{{", "\u0001", StringComparison.Ordinal).Replace("}}", "\u0002", StringComparison.Ordinal)
                .Replace("\u0001", "{{ \"{{\" }}", StringComparison.Ordinal).Replace("\u0002", "{{ \"}}\" }}", StringComparison.Ordinal)
            : value;

    /// <summary>A Go template string literal (double-quoted, <c>\</c> and <c>"</c> escaped), for a query inside a template action.</summary>
    public static string GoString(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

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
