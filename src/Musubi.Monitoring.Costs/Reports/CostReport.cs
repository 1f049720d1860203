using System.Globalization;

namespace Musubi.Monitoring.Costs;

/// <summary>LLM costs for a period (session, day, week or month), grouped by provider, model, operation, user or feature.</summary>
/// <remarks>
/// <para>
/// Immutable once built; safe to share. Money is exact: <see cref="CostReportRow.Total"/> is the <see cref="decimal"/>
/// sum of the records. The writers round for reading (<see cref="CostFormat.Usd"/>, 6 decimals) except
/// <see cref="ToJson"/> and <see cref="ToCsv"/>, which write the exact decimal. A group whose records were all
/// unpriced shows <c>unpriced</c>, never $0. Output never depends on the thread's culture.
/// </para>
/// <para>Rows are ordered by total, largest first, then by key (ordinal).</para>
/// </remarks>
public sealed partial class CostReport
{
    private const string None = "(none)";

    private CostReport(CostReportPeriod period, CostReportGrouping groupBy, TimeZoneInfo timeZone, DateTimeOffset? from, DateTimeOffset? to,
        IReadOnlyList<CostReportRow> rows, CostReportRow total)
    {
        Period = period;
        GroupBy = groupBy;
        TimeZone = timeZone;
        From = from;
        To = to;
        Rows = rows;
        Total = total;
    }

    /// <summary>Gets the period kind.</summary>
    public CostReportPeriod Period { get; }

    /// <summary>Gets what the rows are grouped by.</summary>
    public CostReportGrouping GroupBy { get; }

    /// <summary>Gets the time zone the period's calendar boundaries are in.</summary>
    public TimeZoneInfo TimeZone { get; }

    /// <summary>Gets the first instant of the period (inclusive), or <see langword="null"/> for a session.</summary>
    public DateTimeOffset? From { get; }

    /// <summary>Gets the end of the period (exclusive), or <see langword="null"/> for a session.</summary>
    public DateTimeOffset? To { get; }

    /// <summary>Gets one row per group.</summary>
    public IReadOnlyList<CostReportRow> Rows { get; }

    /// <summary>Gets the grand total over every row (key <c>Total</c>).</summary>
    public CostReportRow Total { get; }

    /// <summary>Builds a report from <paramref name="records"/>, keeping those whose usage timestamp falls in the period that contains <paramref name="now"/>.</summary>
    /// <param name="records">The records (for <see cref="CostReportPeriod.Session"/>, all of them are the session).</param>
    /// <param name="period">The period kind.</param>
    /// <param name="groupBy">What to group by.</param>
    /// <param name="timeZone">The time zone for day, week and month boundaries.</param>
    /// <param name="now">The current instant, from a <see cref="TimeProvider"/>.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="records"/> or <paramref name="timeZone"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="period"/> or <paramref name="groupBy"/> is not a defined value.</exception>
    /// <exception cref="OverflowException">A sum overflows.</exception>
    public static CostReport Build(IEnumerable<CostRecord> records, CostReportPeriod period, CostReportGrouping groupBy, TimeZoneInfo timeZone, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(timeZone);
        CheckGrouping(groupBy);
        (DateTimeOffset? from, DateTimeOffset? to) = Bounds(period, timeZone, now);
        var groups = new Dictionary<string, Accumulator>(StringComparer.Ordinal);
        var total = new Accumulator();
        foreach (CostRecord record in records)
        {
            ArgumentNullException.ThrowIfNull(record, nameof(records));
            if ((from is { } f && record.Usage.Timestamp < f) || (to is { } t && record.Usage.Timestamp >= t))
            {
                continue;
            }

            string key = KeyOf(record, groupBy);
            if (!groups.TryGetValue(key, out Accumulator? group))
            {
                group = new Accumulator();
                groups.Add(key, group);
            }

            group.Add(record);
            total.Add(record);
        }

        CostReportRow[] rows = groups
            .Select(g => g.Value.ToRow(g.Key))
            .OrderByDescending(r => r.Total)
            .ThenBy(r => r.Key, StringComparer.Ordinal)
            .ToArray();
        return new CostReport(period, groupBy, timeZone, from, to, rows, total.ToRow("Total"));
    }

    /// <summary>Builds a report from the records in <paramref name="ledger"/> (read one page at a time) for the period that contains <paramref name="now"/>.</summary>
    /// <param name="ledger">The ledger.</param>
    /// <param name="period">The period kind; <see cref="CostReportPeriod.Session"/> takes every record with a timestamp before <paramref name="now"/> plus one tick.</param>
    /// <param name="groupBy">What to group by.</param>
    /// <param name="timeZone">The time zone for day, week and month boundaries.</param>
    /// <param name="now">The current instant, from a <see cref="TimeProvider"/>.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="ledger"/> or <paramref name="timeZone"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="period"/> or <paramref name="groupBy"/> is not a defined value.</exception>
    /// <exception cref="OverflowException">A sum overflows.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<CostReport> BuildAsync(ICostLedger ledger, CostReportPeriod period, CostReportGrouping groupBy, TimeZoneInfo timeZone,
        DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(timeZone);
        CheckGrouping(groupBy);
        (DateTimeOffset? from, DateTimeOffset? to) = Bounds(period, timeZone, now);
        var records = new List<CostRecord>();
        var query = new CostQuery { From = from, To = to ?? now.AddTicks(1), Take = CostQuery.MaxTake };
        while (true)
        {
            CostPage page = await ledger.ListAsync(query with { Skip = records.Count }, cancellationToken).ConfigureAwait(false);
            records.AddRange(page.Items);
            if (page.Items.Count == 0 || records.Count >= page.Total)
            {
                break;
            }
        }

        return Build(records, period, groupBy, timeZone, now);
    }

    private static void CheckGrouping(CostReportGrouping groupBy)
    {
        if (!Enum.IsDefined(groupBy))
        {
            throw new ArgumentOutOfRangeException(nameof(groupBy), groupBy, $"groupBy is {groupBy}; it must be Provider, Model, Operation, User or Feature.");
        }
    }

    private static string KeyOf(CostRecord record, CostReportGrouping groupBy) => groupBy switch
    {
        CostReportGrouping.Provider => record.Usage.Provider,
        CostReportGrouping.Model => record.Model,
        CostReportGrouping.Operation => record.Usage.Operation,
        CostReportGrouping.User => record.Usage.Attribution?.User ?? None,
        _ => record.Usage.Attribution?.Feature ?? None,
    };

    private static (DateTimeOffset? From, DateTimeOffset? To) Bounds(CostReportPeriod period, TimeZoneInfo timeZone, DateTimeOffset now)
    {
        DateTime local = TimeZoneInfo.ConvertTime(now, timeZone).DateTime.Date;
        (DateTime start, DateTime end) = period switch
        {
            CostReportPeriod.Session => (default, default),
            CostReportPeriod.Daily => (local, local.AddDays(1)),
            CostReportPeriod.Weekly => (local.AddDays(-(((int)local.DayOfWeek + 6) % 7)), local.AddDays(-(((int)local.DayOfWeek + 6) % 7) + 7)),
            CostReportPeriod.Monthly => (new DateTime(local.Year, local.Month, 1), new DateTime(local.Year, local.Month, 1).AddMonths(1)),
            _ => throw new ArgumentOutOfRangeException(nameof(period), period, $"period is {period}; it must be Session, Daily, Weekly or Monthly."),
        };
        return period == CostReportPeriod.Session ? (null, null) : (Instant(start, timeZone), Instant(end, timeZone));
    }

    // A local midnight can be skipped by a daylight-saving jump; the period then starts at the first valid local time.
    // An ambiguous local time (clocks going back) takes the zone's standard offset.
    private static DateTimeOffset Instant(DateTime local, TimeZoneInfo timeZone)
    {
        DateTime unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (timeZone.IsInvalidTime(unspecified))
        {
            unspecified = unspecified.AddMinutes(15);
        }

        return new DateTimeOffset(unspecified, timeZone.GetUtcOffset(unspecified));
    }

    private string PeriodLabel() => Period switch
    {
        CostReportPeriod.Session => "session",
        CostReportPeriod.Daily => "day " + Local(From!.Value).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        CostReportPeriod.Weekly => "week of " + Local(From!.Value).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => "month " + Local(From!.Value).ToString("yyyy-MM", CultureInfo.InvariantCulture),
    };

    private DateTime Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, TimeZone).DateTime;

    private sealed class Accumulator
    {
        private long _count;
        private long _unpriced;
        private decimal _total;
        private long _input;
        private long _output;

        public void Add(CostRecord record)
        {
            checked
            {
                _count++;
                if (record.Total is { } total)
                {
                    _total += total;
                }
                else
                {
                    _unpriced++;
                }

                _input += record.Usage.InputTokens;
                _output += record.Usage.OutputTokens;
            }
        }

        public CostReportRow ToRow(string key) => new()
        {
            Key = key,
            Count = _count,
            UnpricedCount = _unpriced,
            Total = _total,
            InputTokens = _input,
            OutputTokens = _output,
        };
    }
}
