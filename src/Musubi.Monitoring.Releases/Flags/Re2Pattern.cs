using System.Text;
using System.Text.RegularExpressions;

namespace Musubi.Monitoring.Releases;

/// <summary>
/// Compiles the RE2 patterns of Unleash's <c>REGEX</c> operator into .NET regular expressions with RE2's meaning:
/// linear-time matching (<see cref="RegexOptions.NonBacktracking"/>, which also refuses what RE2 refuses: look-arounds,
/// back-references, atomic groups), ASCII <c>\d \w \s</c>, POSIX classes such as <c>[[:alpha:]]</c>, <c>(?P&lt;name&gt;</c>
/// groups, and <c>$</c> at the very end of the text unless <c>(?m)</c> is used.
/// </summary>
internal static class Re2Pattern
{
    public static Regex? TryCompile(string? pattern, bool ignoreCase)
    {
        if (pattern is null || Translate(pattern) is not { } translated)
        {
            return null;
        }

        try
        {
            RegexOptions options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
            return new Regex(translated, options);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    private static string? Translate(string pattern)
    {
        bool multiline = pattern.Contains("(?m", StringComparison.Ordinal) || pattern.Contains("(?sm", StringComparison.Ordinal) ||
            pattern.Contains("(?im", StringComparison.Ordinal) || pattern.Contains("(?ism", StringComparison.Ordinal);
        var sb = new StringBuilder(pattern.Length + 16);
        bool inClass = false;
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                char n = pattern[++i];
                string? ascii = n switch
                {
                    'd' => "0-9",
                    'w' => "0-9A-Za-z_",
                    's' => "\\t\\n\\f\\r ",
                    _ => null,
                };
                if (ascii is not null)
                {
                    sb.Append(inClass ? ascii : "[" + ascii + "]");
                }
                else if (!inClass && n is 'D' or 'W' or 'S')
                {
                    sb.Append("[^").Append(n switch { 'D' => "0-9", 'W' => "0-9A-Za-z_", _ => "\\t\\n\\f\\r " }).Append(']');
                }
                else if (n is >= '1' and <= '9' && !inClass)
                {
                    return null; // back-references are not RE2
                }
                else
                {
                    sb.Append('\\').Append(n);
                }

                continue;
            }

            if (inClass)
            {
                if (c == '[' && i + 1 < pattern.Length && pattern[i + 1] == ':')
                {
                    int end = pattern.IndexOf(":]", i + 2, StringComparison.Ordinal);
                    string? posix = end < 0 ? null : Posix(pattern[(i + 2)..end]);
                    if (posix is null)
                    {
                        return null;
                    }

                    sb.Append(posix);
                    i = end + 1;
                    continue;
                }

                if (c == '[')
                {
                    sb.Append("\\[");
                    continue;
                }

                if (c == ']')
                {
                    inClass = false;
                }

                sb.Append(c);
                continue;
            }

            switch (c)
            {
                case '[':
                    inClass = true;
                    sb.Append(c);
                    if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                    {
                        sb.Append('^');
                        i++;
                    }

                    if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                    {
                        sb.Append("\\]");
                        i++;
                    }

                    break;
                case '$' when !multiline:
                    sb.Append("\\z");
                    break;
                case '(' when string.CompareOrdinal(pattern, i, "(?P<", 0, 4) == 0:
                    sb.Append("(?<");
                    i += 3;
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }

        return inClass ? null : sb.ToString();
    }

    private static string? Posix(string name) => name switch
    {
        "alpha" => "A-Za-z",
        "digit" => "0-9",
        "alnum" => "0-9A-Za-z",
        "upper" => "A-Z",
        "lower" => "a-z",
        "space" => "\\t\\n\\v\\f\\r ",
        "blank" => "\\t ",
        "word" => "0-9A-Za-z_",
        "xdigit" => "0-9A-Fa-f",
        "punct" => "!-/:-@\\[-`{-~",
        "cntrl" => "\\x00-\\x1F\\x7F",
        "print" => " -~",
        "graph" => "!-~",
        "ascii" => "\\x00-\\x7F",
        _ => null,
    };
}
