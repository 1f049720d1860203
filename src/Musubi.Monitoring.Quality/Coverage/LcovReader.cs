using System.Globalization;

namespace Musubi.Monitoring.Quality;

/// <summary>Streams an lcov tracefile into a <see cref="CoverageBuilder"/>, one line at a time.</summary>
/// <remarks>
/// <c>DA</c> gives lines and hits, <c>BRDA:line,block,branch,taken</c> gives named arms (<c>-</c> means the block
/// never ran: the arm is not taken), <c>FN:line[,end],name</c> gives methods. The summary records <c>LF</c>,
/// <c>LH</c>, <c>BRF</c>, <c>BRH</c>, <c>FNF</c>, <c>FNH</c> and the <c>FNDA</c> counts are ignored in favour of the
/// data. A method's lines are the <c>DA</c> lines from its first line to its end line (lcov 2) or, without one, to the
/// line before the next method of the record. Records of the same file repeated in one tracefile (tracefiles
/// concatenated) add up, as in <c>lcov -a</c>.
/// </remarks>
internal static class LcovReader
{
    public static void Read(TextReader text, string path, CoverageBuilder builder, CancellationToken cancellationToken)
    {
        FileCoverageBuilder? file = null;
        var recordLines = new List<int>();
        var functions = new List<(int Start, int End, string Name)>();
        int lineNumber = 0;
        int unknownRecords = 0;
        string? line;
        while ((line = text.ReadLine()) is not null)
        {
            lineNumber++;
            if ((lineNumber & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            ReadOnlySpan<char> record = line.AsSpan().Trim();
            if (record.IsEmpty)
            {
                continue;
            }

            if (record.SequenceEqual("end_of_record"))
            {
                EndRecord();
                continue;
            }

            int colon = record.IndexOf(':');
            if (colon <= 0)
            {
                throw Malformed($"'{Clip(line)}' is not an lcov record (KEY:value).");
            }

            ReadOnlySpan<char> key = record[..colon];
            ReadOnlySpan<char> value = record[(colon + 1)..];
            switch (key)
            {
                case "SF":
                    if (file is not null)
                    {
                        EndRecord();
                    }

                    if (value.IsWhiteSpace())
                    {
                        throw Malformed("SF has no file path.");
                    }

                    file = builder.File(value.ToString());
                    break;

                case "DA":
                    {
                        FileCoverageBuilder current = file ?? throw Malformed("DA comes before any SF record.");
                        if (!TrySplit(value, out ReadOnlySpan<char> first, out ReadOnlySpan<char> rest)
                            || !TryLine(first, out int number))
                        {
                            throw Malformed($"'{Clip(line)}' is not DA:<line>,<hits>.");
                        }

                        int comma = rest.IndexOf(',');
                        ReadOnlySpan<char> hitsText = comma >= 0 ? rest[..comma] : rest;
                        if (!TryHits(hitsText, out long hits))
                        {
                            throw Malformed($"'{Clip(line)}' has hits '{hitsText}', not a count.");
                        }

                        current.AddLine(number, hits, sumHits: true);
                        recordLines.Add(number);
                        break;
                    }

                case "BRDA":
                    {
                        FileCoverageBuilder current = file ?? throw Malformed("BRDA comes before any SF record.");
                        int last = value.LastIndexOf(',');
                        if (last <= 0 || !TrySplit(value[..last], out ReadOnlySpan<char> first, out ReadOnlySpan<char> arm)
                            || !TryLine(first, out int number) || arm.IndexOf(',') < 0)
                        {
                            throw Malformed($"'{Clip(line)}' is not BRDA:<line>,<block>,<branch>,<taken>.");
                        }

                        ReadOnlySpan<char> takenText = value[(last + 1)..];
                        bool taken;
                        if (takenText.SequenceEqual("-"))
                        {
                            taken = false;
                        }
                        else if (TryHits(takenText, out long count))
                        {
                            taken = count > 0;
                        }
                        else
                        {
                            throw Malformed($"'{Clip(line)}' has taken '{takenText}', not a count or '-'.");
                        }

                        current.AddArm(number, arm.ToString(), taken);
                        break;
                    }

                case "FN":
                    {
                        _ = file ?? throw Malformed("FN comes before any SF record.");
                        if (!TrySplit(value, out ReadOnlySpan<char> first, out ReadOnlySpan<char> rest) || !TryLine(first, out int start))
                        {
                            throw Malformed($"'{Clip(line)}' is not FN:<line>,<name>.");
                        }

                        int end = 0;
                        if (TrySplit(rest, out ReadOnlySpan<char> maybeEnd, out ReadOnlySpan<char> afterEnd) && TryLine(maybeEnd, out int parsedEnd) && parsedEnd >= start)
                        {
                            end = parsedEnd;
                            rest = afterEnd;
                        }

                        functions.Add((start, end, rest.ToString()));
                        break;
                    }

                case "TN" or "FNDA" or "FNF" or "FNH" or "LF" or "LH" or "BRF" or "BRH" or "VER" or "FNL" or "FNA":
                    break;

                default:
                    unknownRecords++;
                    break;
            }
        }

        if (file is not null)
        {
            builder.Warnings.Add($"Report '{path}': the last record (SF) has no end_of_record; the file may be truncated. Its data was read.");
            EndRecord();
        }

        if (unknownRecords > 0)
        {
            builder.Warnings.Add(string.Create(CultureInfo.InvariantCulture, $"Report '{path}': {unknownRecords} record line(s) of an unknown kind; ignored."));
        }

        void EndRecord()
        {
            if (file is not null && functions.Count > 0)
            {
                recordLines.Sort();
                functions.Sort(static (x, y) => x.Start.CompareTo(y.Start));
                for (int i = 0; i < functions.Count; i++)
                {
                    (int start, int end, string name) = functions[i];
                    int last = end > 0 ? end : i + 1 < functions.Count ? Math.Max(start, functions[i + 1].Start - 1) : int.MaxValue;
                    var lines = new List<int>();
                    foreach (int number in recordLines)
                    {
                        if (number >= start && number <= last)
                        {
                            lines.Add(number);
                        }
                    }

                    file.AddMethod(name, string.Empty, start, lines);
                }
            }

            file = null;
            recordLines.Clear();
            functions.Clear();
        }

        QualityReportException Malformed(string problem) => new(path, QualityReportErrorKind.Malformed, problem, lineNumber);
    }

    private static bool TrySplit(ReadOnlySpan<char> value, out ReadOnlySpan<char> first, out ReadOnlySpan<char> rest)
    {
        int comma = value.IndexOf(',');
        if (comma < 0)
        {
            first = value;
            rest = default;
            return false;
        }

        first = value[..comma];
        rest = value[(comma + 1)..];
        return true;
    }

    private static bool TryLine(ReadOnlySpan<char> text, out int line) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out line) && line > 0;

    private static bool TryHits(ReadOnlySpan<char> text, out long hits)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out hits))
        {
            // gcov writes negative counts for overflowed counters; they ran.
            hits = hits < 0 ? long.MaxValue : hits;
            return true;
        }

        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal big) && big >= 0)
        {
            hits = big >= long.MaxValue ? long.MaxValue : (long)decimal.Ceiling(big);
            return true;
        }

        return false;
    }

    private static string Clip(string line) => line.Length <= 80 ? line : line[..80] + "…";
}
