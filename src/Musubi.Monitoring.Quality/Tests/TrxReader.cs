using System.Globalization;
using System.Xml;

namespace Musubi.Monitoring.Quality;

/// <summary>Streams a TRX file's <c>&lt;UnitTestResult&gt;</c> elements into <see cref="TestRunResults"/>.</summary>
/// <remarks>Only a few attributes per result are kept (id, name, outcome, duration, start), never output or stack traces.</remarks>
internal static class TrxReader
{
    public static TestRunResults Read(XmlReader reader, string path, CancellationToken cancellationToken)
    {
        reader.MoveToContent();
        var attempts = new Dictionary<string, List<Attempt>>(StringComparer.Ordinal);
        var order = new List<string>();
        var warnings = new List<string>();
        int innerDepth = -1;
        int unknownOutcomes = 0, badDurations = 0, anonymous = 0;
        string? firstUnknownOutcome = null;
        long elements = 0, sequence = 0;

        while (reader.Read())
        {
            if ((++elements & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (reader.NodeType == XmlNodeType.EndElement)
            {
                if (reader.Depth == innerDepth)
                {
                    innerDepth = -1;
                }

                continue;
            }

            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            if (reader.LocalName == "InnerResults" && !reader.IsEmptyElement && innerDepth < 0)
            {
                innerDepth = reader.Depth;
                continue;
            }

            if (reader.LocalName != "UnitTestResult" || innerDepth >= 0)
            {
                continue;
            }

            string? id = reader.GetAttribute("testId");
            string? name = reader.GetAttribute("testName");
            if (string.IsNullOrWhiteSpace(id) && string.IsNullOrWhiteSpace(name))
            {
                anonymous++;
                continue;
            }

            string key = string.IsNullOrWhiteSpace(id) ? name! : id;
            string outcomeText = reader.GetAttribute("outcome") ?? string.Empty;
            TestOutcome? outcome = MapOutcome(outcomeText);
            if (outcome is null)
            {
                unknownOutcomes++;
                firstUnknownOutcome ??= outcomeText;
            }

            TimeSpan duration = TimeSpan.Zero;
            string? durationText = reader.GetAttribute("duration");
            if (durationText is not null && !TimeSpan.TryParse(durationText, CultureInfo.InvariantCulture, out duration))
            {
                badDurations++;
                duration = TimeSpan.Zero;
            }

            DateTimeOffset? start = DateTimeOffset.TryParse(reader.GetAttribute("startTime"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed)
                ? parsed
                : null;

            if (!attempts.TryGetValue(key, out List<Attempt>? list))
            {
                list = [];
                attempts[key] = list;
                order.Add(key);
            }

            list.Add(new Attempt(name ?? key, outcome ?? TestOutcome.Skipped, duration, start, sequence++));
        }

        if (unknownOutcomes > 0)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"Report '{path}': {unknownOutcomes} result(s) with an unknown outcome (first '{firstUnknownOutcome}'); counted as not executed."));
        }

        if (badDurations > 0)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"Report '{path}': {badDurations} result(s) with a duration that is not hh:mm:ss; counted as 0."));
        }

        if (anonymous > 0)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"Report '{path}': {anonymous} result(s) without testId or testName; skipped."));
        }

        var tests = new TestCaseResult[order.Count];
        for (int i = 0; i < order.Count; i++)
        {
            List<Attempt> list = attempts[order[i]];
            bool timed = list.TrueForAll(static a => a.Start is not null);
            list.Sort(timed
                ? static (x, y) => x.Start!.Value != y.Start!.Value ? x.Start.Value.CompareTo(y.Start.Value) : x.Sequence.CompareTo(y.Sequence)
                : static (x, y) => x.Sequence.CompareTo(y.Sequence));
            TestOutcome final = TestOutcome.Skipped;
            bool failedBefore = false, flaky = false;
            TimeSpan total = TimeSpan.Zero;
            foreach (Attempt attempt in list)
            {
                total += attempt.Duration;
                if (attempt.Outcome == TestOutcome.Failed)
                {
                    failedBefore = true;
                    final = TestOutcome.Failed;
                }
                else if (attempt.Outcome == TestOutcome.Passed)
                {
                    flaky |= failedBefore;
                    final = TestOutcome.Passed;
                }
            }

            tests[i] = new TestCaseResult(path, order[i], list[^1].Name, final, list.Count, flaky && final == TestOutcome.Passed, total);
        }

        return new TestRunResults(tests, [path], [.. warnings]);
    }

    internal static TestOutcome? MapOutcome(string outcome) => outcome switch
    {
        "Passed" or "PassedButRunAborted" or "Warning" or "Completed" => TestOutcome.Passed,
        "Failed" or "Error" or "Timeout" or "Aborted" => TestOutcome.Failed,
        "NotExecuted" or "Inconclusive" or "NotRunnable" or "Pending" or "Disconnected" or "InProgress" => TestOutcome.Skipped,
        _ => null,
    };

    private sealed record Attempt(string Name, TestOutcome Outcome, TimeSpan Duration, DateTimeOffset? Start, long Sequence);
}
