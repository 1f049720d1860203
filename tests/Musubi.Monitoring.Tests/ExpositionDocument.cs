using System.Globalization;
using System.Text;

namespace Musubi.Monitoring.Tests;

/// <summary>One sample line: name, labels (unescaped), and the value text as written.</summary>
internal sealed record Sample(string Name, IReadOnlyList<KeyValuePair<string, string>> Labels, string ValueText)
{
    public double Value => ValueText switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(ValueText, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    public string? Label(string name) => Labels.FirstOrDefault(l => l.Key == name).Value;

    /// <summary>The labels without <c>le</c>, as one comparable key.</summary>
    public string SeriesKey(params string[] except)
        => string.Join(",", Labels.Where(l => !except.Contains(l.Key)).Select(l => l.Key + "=" + l.Value));
}

/// <summary>One family: its metadata lines and samples, in document order.</summary>
internal sealed class FamilyBlock(string name, string type)
{
    public string Name { get; } = name;

    public string Type { get; } = type;

    public string? Help { get; set; }

    public string? Unit { get; set; }

    public List<Sample> Samples { get; } = [];
}

/// <summary>
/// A small, strict reader of Prometheus text 0.0.4 and OpenMetrics 1.0 documents, for tests: it parses every
/// line (failing on anything it does not understand) and checks the rules a scraper relies on.
/// </summary>
internal sealed class ExpositionDocument
{
    private ExpositionDocument(string text, bool openMetrics)
    {
        Text = text;
        OpenMetrics = openMetrics;
    }

    public string Text { get; }

    public bool OpenMetrics { get; }

    public List<FamilyBlock> Families { get; } = [];

    public IEnumerable<Sample> Samples => Families.SelectMany(f => f.Samples);

    public FamilyBlock Family(string name)
        => Families.SingleOrDefault(f => f.Name == name) ?? throw new Xunit.Sdk.XunitException($"No family '{name}' in:\n{Text}");

    public IEnumerable<Sample> SamplesNamed(string name) => Samples.Where(s => s.Name == name);

    /// <summary>Parses <paramref name="text"/> and checks it (see <see cref="Check"/>); throws with the document on failure.</summary>
    public static ExpositionDocument Parse(string text, bool openMetrics)
    {
        var document = new ExpositionDocument(text, openMetrics);
        try
        {
            document.Read();
            document.Check();
        }
        catch (FormatException e)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}\n--- document ---\n{text}");
        }
        catch (IndexOutOfRangeException)
        {
            throw new Xunit.Sdk.XunitException($"A line ends too early.\n--- document ---\n{text}");
        }

        return document;
    }

    private void Read()
    {
        if (Text.Length > 0 && Text[^1] != '\n')
        {
            throw new FormatException("The document does not end with a newline.");
        }

        if (Text.StartsWith('\uFEFF'))
        {
            throw new FormatException("The document starts with a byte order mark.");
        }

        string[] lines = Text.Split('\n');
        bool eof = false;
        FamilyBlock? current = null;
        var types = new HashSet<string>(StringComparer.Ordinal);
        for (int n = 0; n < lines.Length - 1; n++)
        {
            string line = lines[n];
            if (eof)
            {
                throw new FormatException($"Line {n + 1} follows '# EOF': '{line}'.");
            }

            if (line.Length == 0)
            {
                if (OpenMetrics)
                {
                    throw new FormatException($"Line {n + 1} is empty (not allowed in OpenMetrics).");
                }

                continue;
            }

            if (line == "# EOF")
            {
                if (!OpenMetrics)
                {
                    throw new FormatException("'# EOF' in a text 0.0.4 document.");
                }

                eof = true;
                continue;
            }

            if (line.StartsWith('#'))
            {
                string[] parts = line.Split(' ', 4);
                if (parts.Length < 3 || parts[0] != "#")
                {
                    throw new FormatException($"Line {n + 1} is a malformed comment: '{line}'.");
                }

                string keyword = parts[1];
                string name = parts[2];
                CheckMetricName(name, n);
                switch (keyword)
                {
                    case "TYPE":
                        if (!types.Add(name))
                        {
                            throw new FormatException($"Line {n + 1}: second TYPE line for '{name}'.");
                        }

                        string type = parts.Length > 3 ? parts[3] : throw new FormatException($"Line {n + 1}: TYPE without a type.");
                        current = current is not null && current.Name == name && current.Type == "untyped"
                            ? ReplaceType(current, type)
                            : StartFamily(name, type);
                        break;
                    case "HELP":
                        current = current is not null && current.Name == name ? current : StartFamily(name, "untyped");
                        if (current.Help is not null)
                        {
                            throw new FormatException($"Line {n + 1}: second HELP line for '{name}'.");
                        }

                        current.Help = parts.Length > 3 ? parts[3] : string.Empty;
                        break;
                    case "UNIT" when OpenMetrics:
                        current = current is not null && current.Name == name ? current : StartFamily(name, "untyped");
                        current.Unit = parts.Length > 3 ? parts[3] : string.Empty;
                        if (current.Unit.Length > 0 && !name.EndsWith("_" + current.Unit, StringComparison.Ordinal))
                        {
                            throw new FormatException($"Line {n + 1}: family '{name}' does not end with its unit '{current.Unit}'.");
                        }

                        break;
                    default:
                        throw new FormatException($"Line {n + 1}: unknown comment '{line}'.");
                }

                continue;
            }

            Sample sample = ParseSample(line, n);
            if (current is null || !BelongsTo(sample.Name, current))
            {
                throw new FormatException($"Line {n + 1}: sample '{sample.Name}' is outside its family block (current family: '{current?.Name}').");
            }

            current.Samples.Add(sample);
        }

        if (OpenMetrics && !eof)
        {
            throw new FormatException("The OpenMetrics document does not end with '# EOF'.");
        }

        if (OpenMetrics && !Text.EndsWith("# EOF\n", StringComparison.Ordinal))
        {
            throw new FormatException("The OpenMetrics document does not end with '# EOF\\n'.");
        }
    }

    private FamilyBlock StartFamily(string name, string type)
    {
        if (Families.Any(f => f.Name == name))
        {
            throw new FormatException($"The family '{name}' appears in two blocks.");
        }

        var family = new FamilyBlock(name, type);
        Families.Add(family);
        return family;
    }

    private FamilyBlock ReplaceType(FamilyBlock untyped, string type)
    {
        var typed = new FamilyBlock(untyped.Name, type) { Help = untyped.Help, Unit = untyped.Unit };
        Families[Families.IndexOf(untyped)] = typed;
        return typed;
    }

    private bool BelongsTo(string sampleName, FamilyBlock family) => (family.Type, OpenMetrics) switch
    {
        ("counter", true) => sampleName == family.Name + "_total" || sampleName == family.Name + "_created",
        ("counter", false) => sampleName == family.Name,
        ("histogram", _) => sampleName == family.Name + "_bucket" || sampleName == family.Name + "_sum"
            || sampleName == family.Name + "_count" || (OpenMetrics && sampleName == family.Name + "_created"),
        ("info", true) => sampleName == family.Name + "_info",
        _ => sampleName == family.Name,
    };

    /// <summary>
    /// The rules: every sample name belongs to exactly one family (no two families can produce the same
    /// sample name), no series repeats, counters are finite and not negative, histogram buckets are cumulative
    /// with <c>+Inf</c> equal to <c>_count</c>, and <c>le</c> values ascend.
    /// </summary>
    private void Check()
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (FamilyBlock family in Families)
        {
            foreach (string sampleName in PossibleSampleNames(family))
            {
                if (owners.TryGetValue(sampleName, out string? other))
                {
                    throw new FormatException($"The sample name '{sampleName}' belongs to two families: '{other}' and '{family.Name}'.");
                }

                owners[sampleName] = family.Name;
            }

            if (family.Type is not ("counter" or "gauge" or "histogram" or "info" or "untyped"))
            {
                throw new FormatException($"Family '{family.Name}' has an unexpected type '{family.Type}'.");
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (Sample sample in family.Samples)
            {
                if (!seen.Add(sample.Name + "{" + sample.SeriesKey() + "}"))
                {
                    throw new FormatException($"The series {sample.Name}{{{sample.SeriesKey()}}} appears twice.");
                }

                if (family.Type == "counter" && !(sample.Value >= 0 && double.IsFinite(sample.Value)))
                {
                    throw new FormatException($"Counter sample {sample.Name}{{{sample.SeriesKey()}}} is {sample.ValueText}.");
                }
            }

            if (family.Type == "histogram")
            {
                CheckHistogram(family, OpenMetrics);
            }
        }
    }

    private IEnumerable<string> PossibleSampleNames(FamilyBlock family) => (family.Type, OpenMetrics) switch
    {
        ("counter", true) => [family.Name + "_total", family.Name + "_created"],
        ("histogram", _) => [family.Name + "_bucket", family.Name + "_sum", family.Name + "_count", family.Name + "_created"],
        ("info", true) => [family.Name + "_info"],
        _ => [family.Name],
    };

    private static void CheckHistogram(FamilyBlock family, bool openMetrics)
    {
        foreach (IGrouping<string, Sample> series in family.Samples.GroupBy(s => s.SeriesKey("le")))
        {
            List<Sample> buckets = [.. series.Where(s => s.Name == family.Name + "_bucket")];
            // _sum and _count come together (OpenMetrics: "if and only if a Sum Value is present … _count"); the
            // text format always has both, OpenMetrics may leave both out (a negative sum is not allowed there).
            Sample? count = series.SingleOrDefault(s => s.Name == family.Name + "_count");
            Sample? sum = series.SingleOrDefault(s => s.Name == family.Name + "_sum");
            if (count is null != sum is null || (count is null && !openMetrics))
            {
                throw new FormatException($"Histogram {family.Name}{{{series.Key}}} has {(count is null ? "no" : "a")} _count and {(sum is null ? "no" : "a")} _sum.");
            }

            if (sum is not null && openMetrics && !(sum.Value >= 0))
            {
                throw new FormatException($"Histogram {family.Name}{{{series.Key}}}: OpenMetrics _sum {sum.ValueText} is negative or NaN.");
            }
            if (buckets.Count == 0 || buckets[^1].Label("le") != "+Inf")
            {
                throw new FormatException($"Histogram {family.Name}{{{series.Key}}} does not end with a +Inf bucket.");
            }

            double previousLe = double.NegativeInfinity;
            double previousCount = 0;
            foreach (Sample bucket in buckets)
            {
                string le = bucket.Label("le") ?? throw new FormatException($"A bucket of {family.Name} has no le.");
                double bound = le == "+Inf" ? double.PositiveInfinity
                    : double.Parse(le, NumberStyles.Float, CultureInfo.InvariantCulture);
                if (!(bound > previousLe))
                {
                    throw new FormatException($"Histogram {family.Name}{{{series.Key}}}: le=\"{le}\" does not ascend.");
                }

                if (bucket.Value < previousCount)
                {
                    throw new FormatException($"Histogram {family.Name}{{{series.Key}}}: bucket le=\"{le}\" is {bucket.ValueText}, below the previous {previousCount}.");
                }

                previousLe = bound;
                previousCount = bucket.Value;
            }

            if (count is not null && buckets[^1].Value != count.Value)
            {
                throw new FormatException($"Histogram {family.Name}{{{series.Key}}}: +Inf bucket {buckets[^1].ValueText} != _count {count.ValueText}.");
            }
        }
    }

    private static void CheckMetricName(string name, int line)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':'))
        {
            throw new FormatException($"Line {line + 1}: '{name}' is not a valid metric name.");
        }
    }

    private static Sample ParseSample(string line, int n)
    {
        int i = 0;
        while (i < line.Length && line[i] is not ('{' or ' '))
        {
            i++;
        }

        string name = line[..i];
        CheckMetricName(name, n);
        var labels = new List<KeyValuePair<string, string>>();
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                int start = i;
                while (line[i] != '=')
                {
                    i++;
                }

                string label = line[start..i];
                if (label.Length == 0 || char.IsAsciiDigit(label[0]) || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
                {
                    throw new FormatException($"Line {n + 1}: '{label}' is not a valid label name in '{line}'.");
                }

                if (labels.Any(l => l.Key == label))
                {
                    throw new FormatException($"Line {n + 1}: label '{label}' repeats in '{line}'.");
                }

                i++;
                if (line[i] != '"')
                {
                    throw new FormatException($"Line {n + 1}: label value not quoted in '{line}'.");
                }

                i++;
                var value = new StringBuilder();
                while (line[i] != '"')
                {
                    if (line[i] == '\\')
                    {
                        i++;
                        value.Append(line[i] switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            _ => throw new FormatException($"Line {n + 1}: unknown escape '\\{line[i]}' in '{line}'."),
                        });
                    }
                    else
                    {
                        value.Append(line[i]);
                    }

                    i++;
                }

                i++;
                labels.Add(new(label, value.ToString()));
                if (line[i] == ',')
                {
                    i++;
                }
                else if (line[i] != '}')
                {
                    throw new FormatException($"Line {n + 1}: expected ',' or '}}' at {i} in '{line}'.");
                }
            }

            i++;
        }

        if (i >= line.Length || line[i] != ' ')
        {
            throw new FormatException($"Line {n + 1}: no value in '{line}'.");
        }

        string[] rest = line[(i + 1)..].Split(' ');
        if (rest.Length != 1)
        {
            throw new FormatException($"Line {n + 1}: unexpected timestamp or trailing text in '{line}'.");
        }

        string valueText = rest[0];
        if (valueText is not ("NaN" or "+Inf" or "-Inf")
            && !double.TryParse(valueText, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out _))
        {
            throw new FormatException($"Line {n + 1}: '{valueText}' is not a number in '{line}'.");
        }

        return new Sample(name, labels, valueText);
    }
}
