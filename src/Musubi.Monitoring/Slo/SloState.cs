using Musubi.Monitoring.Metrics;

namespace Musubi.Monitoring.Slo;

/// <summary>
/// One SLO's live state inside <see cref="SloMonitor"/>: the compiled selectors, the last value of each selected
/// series, the rings of time buckets and whether each alert is firing.
/// </summary>
/// <remarks>Not thread-safe except <see cref="Status"/>: the monitor serialises evaluations.</remarks>
internal sealed class SloState
{
    /// <summary>The longest window kept in fine buckets.</summary>
    internal static readonly TimeSpan FineHorizon = TimeSpan.FromHours(6);

    /// <summary>The width of a coarse bucket.</summary>
    internal static readonly TimeSpan CoarseWidth = TimeSpan.FromHours(1);

    private static readonly AlertSeverity[] s_severities = [AlertSeverity.Page, AlertSeverity.Ticket];

    private readonly SelectorEvaluator _total;
    private readonly SelectorEvaluator _part;
    private readonly bool _partIsGood;
    private readonly SeriesTracker _totalTracker = new();
    private readonly SeriesTracker _partTracker = new();
    private readonly EventRing? _fine;
    private readonly EventRing? _coarse;
    private readonly (BurnRateTier Tier, decimal Threshold, string Pair)[][] _tiers;
    private readonly SloAlert?[] _active = new SloAlert?[s_severities.Length];
    private SloStatus _status;

    /// <exception cref="ArgumentException">A regular expression of the SLI does not parse.</exception>
    public SloState(ServiceLevelObjective slo)
    {
        Slo = slo;
        _total = new SelectorEvaluator(slo.Sli.Total);
        _partIsGood = slo.Sli.Bad is null;
        _part = new SelectorEvaluator(slo.Sli.Bad ?? slo.Sli.Good!);
        Windows = [.. slo.Windows];
        Tags = [new("slo", slo.Id), new("service", slo.Service)];
        WindowTags = [.. Windows.Select(w => new KeyValuePair<string, object?>[] { new("slo", slo.Id), new("service", slo.Service), new("window", SloNumber.Duration(w)) })];

        // Fine buckets: a minute, or a fifth of the shortest window, in whole seconds; over the longest window up to 6 h.
        TimeSpan shortest = Windows[0];
        TimeSpan[] fineWindows = [.. Windows.Where(w => w <= FineHorizon)];
        if (fineWindows.Length > 0)
        {
            long widthSeconds = Math.Max(1, Math.Min(60, (long)(shortest.TotalSeconds / 5)));
            _fine = new EventRing(TimeSpan.FromSeconds(widthSeconds), fineWindows[^1]);
        }

        if (Windows[^1] > FineHorizon)
        {
            _coarse = new EventRing(CoarseWidth, slo.Period);
        }

        _tiers = [.. s_severities.Select(severity => slo.Tiers
            .Where(t => t.Severity == severity)
            .Select(t => (t, t.Factor(slo.Period) * slo.ErrorBudget, $"{SloNumber.Duration(t.LongWindow)}/{SloNumber.Duration(t.ShortWindow)}"))
            .ToArray())];

        _status = new SloStatus(slo.Id, slo.Service, slo.Objective, 1m, 1m,
            Windows.ToDictionary(w => w, _ => 0m), 0, 0, [], DateTimeOffset.MinValue);
    }

    public ServiceLevelObjective Slo { get; }

    /// <summary>Every window (tier windows and the period), shortest first.</summary>
    public TimeSpan[] Windows { get; }

    /// <summary>The gauge tags: slo and service.</summary>
    public KeyValuePair<string, object?>[] Tags { get; }

    /// <summary>The burn-rate gauge tags of each of <see cref="Windows"/>.</summary>
    public KeyValuePair<string, object?>[][] WindowTags { get; }

    public int BucketCount => (_fine?.BucketCount ?? 0) + (_coarse?.BucketCount ?? 0);

    /// <summary>The status at the latest evaluation; safe to read from any thread.</summary>
    public SloStatus Status => Volatile.Read(ref _status);

    /// <summary>Remembers what the series hold now, without counting it.</summary>
    public void Baseline(MetricsSnapshot snapshot)
    {
        _totalTracker.Advance(snapshot, _total, baseline: true);
        _partTracker.Advance(snapshot, _part, baseline: true);
    }

    /// <summary>Adds the increase since the last evaluation, recomputes the status and appends alert transitions.</summary>
    public void Evaluate(MetricsSnapshot snapshot, DateTimeOffset now, List<SloAlert> transitions)
    {
        double total = _totalTracker.Advance(snapshot, _total, baseline: false);
        double part = _partTracker.Advance(snapshot, _part, baseline: false);
        // Good events as all less good: may be negative for a moment; the window's ratio is clamped, as the rule's is.
        double bad = _partIsGood ? total - part : part;
        if (total != 0 || bad != 0)
        {
            _fine?.Add(now, total, bad);
            _coarse?.Add(now, total, bad);
        }

        var ratios = new Dictionary<TimeSpan, decimal>(Windows.Length);
        var totals = new Dictionary<TimeSpan, double>(Windows.Length);
        var burnRates = new Dictionary<TimeSpan, decimal>(Windows.Length);
        double periodTotal = 0;
        double periodBad = 0;
        foreach (TimeSpan window in Windows)
        {
            EventRing ring = _fine is not null && window <= _fine.Coverage ? _fine : _coarse!;
            (double windowTotal, double windowBad) = ring.Sum(now, window);
            decimal ratio = ErrorRatio(windowTotal, windowBad);
            ratios[window] = ratio;
            totals[window] = windowTotal;
            burnRates[window] = ratio / Slo.ErrorBudget;
            if (window == Slo.Period)
            {
                periodTotal = windowTotal;
                periodBad = Math.Clamp(windowBad, 0, Math.Max(windowTotal, 0));
            }
        }

        decimal periodRatio = ratios[Slo.Period];
        decimal remaining = 1m - (periodRatio / Slo.ErrorBudget);

        for (int i = 0; i < s_severities.Length; i++)
        {
            (BurnRateTier Tier, decimal Threshold, string Pair)[] tiers = _tiers[i];
            if (tiers.Length == 0)
            {
                continue;
            }

            // As in the generated rules: both windows above the threshold, and (with MinimumEvents) enough events in the long window.
            string[] tripped = [.. tiers.Where(t => ratios[t.Tier.LongWindow] > t.Threshold && ratios[t.Tier.ShortWindow] > t.Threshold
                && totals[t.Tier.LongWindow] >= Slo.MinimumEvents).Select(t => t.Pair)];
            bool firing = tripped.Length > 0;
            if (firing == (_active[i] is not null))
            {
                continue;
            }

            BurnRateTier shown = firing ? tiers.First(t => t.Pair == tripped[0]).Tier : tiers[0].Tier;
            var alert = new SloAlert(SloRules.AlertName(s_severities[i]), Slo.Id, Slo.Service, s_severities[i],
                firing ? SloAlertState.Firing : SloAlertState.Resolved, tripped, burnRates[shown.LongWindow], remaining, now);
            _active[i] = firing ? alert : null;
            transitions.Add(alert);
        }

        Volatile.Write(ref _status, new SloStatus(Slo.Id, Slo.Service, Slo.Objective, 1m - periodRatio, remaining, burnRates,
            Math.Max(periodTotal, 0), periodBad, [.. _active.OfType<SloAlert>()], now));
    }

    /// <summary>
    /// Bad over all events, from 0 to 1; 0 with no events (never NaN). Divided as doubles and converted to decimal (15
    /// significant digits), so the noise of summing shares of buckets does not show: 3 in 100 is exactly 0.03.
    /// </summary>
    internal static decimal ErrorRatio(double total, double bad)
    {
        if (!(total > 0) || !(bad > 0))
        {
            return 0m;
        }

        if (bad >= total)
        {
            return 1m;
        }

        return (decimal)(bad / total);
    }

    /// <summary>The last value of every series a selector selects, and the increase since then.</summary>
    private sealed class SeriesTracker
    {
        private Dictionary<string, double> _last = new(StringComparer.Ordinal);

        /// <summary>
        /// Returns the increase of the selected series since the last call: a series that went down was reset, so its
        /// new value is the increase; a new series counts from 0. Series no longer selected are forgotten, so memory
        /// is bounded by the collector's series.
        /// </summary>
        public double Advance(MetricsSnapshot snapshot, SelectorEvaluator selector, bool baseline)
        {
            var next = new Dictionary<string, double>(_last.Count, StringComparer.Ordinal);
            double increase = 0;
            Dictionary<string, double> last = _last;
            selector.Visit(snapshot, (key, value) =>
            {
                next[key] = value;
                if (!baseline)
                {
                    increase += last.TryGetValue(key, out double previous) && value >= previous ? value - previous : value;
                }
            });
            _last = next;
            return increase;
        }
    }
}
