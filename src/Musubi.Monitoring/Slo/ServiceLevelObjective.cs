using System.Globalization;
using System.Text.RegularExpressions;

namespace Musubi.Monitoring.Slo;

/// <summary>
/// A service level objective: an <see cref="Sli"/>, the <see cref="Objective"/> it must meet over a rolling
/// <see cref="Period"/>, and the burn-rate <see cref="Tiers"/> that alert when the error budget burns too fast.
/// </summary>
/// <remarks>Immutable and thread-safe; every argument is checked when it is made.</remarks>
public sealed partial class ServiceLevelObjective
{
    /// <summary>Initializes a new instance of the <see cref="ServiceLevelObjective"/> class.</summary>
    /// <param name="id">The SLO's id, unique among the SLOs generated together: 1 to 64 of <c>a-z 0-9 _ -</c>, starting with a letter.</param>
    /// <param name="service">The service it belongs to (a <c>service</c> label on every rule); any non-empty text.</param>
    /// <param name="sli">The indicator.</param>
    /// <param name="objective">The objective, such as <c>Objective.Percent(99.9m)</c>.</param>
    /// <param name="period">The rolling period, such as 30 days; at least the longest tier window, at most 365 days.</param>
    /// <param name="tiers">The burn-rate tiers; <see langword="null"/> for <see cref="BurnRateTier.SreWorkbookDefaults"/>.</param>
    /// <param name="description">What the SLO promises, for humans; optional.</param>
    /// <exception cref="ArgumentNullException"><paramref name="id"/>, <paramref name="service"/> or <paramref name="sli"/> is <see langword="null"/>, or a tier is.</exception>
    /// <exception cref="ArgumentException"><paramref name="id"/> is not a valid id, <paramref name="service"/> is empty, <paramref name="tiers"/> is empty, two tiers are the same, or a tier's threshold (factor × error budget) is not below 1, so it could never fire.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="objective"/> is the default (unset), or <paramref name="period"/> is out of range.</exception>
    public ServiceLevelObjective(
        string id,
        string service,
        Sli sli,
        Objective objective,
        TimeSpan period,
        IEnumerable<BurnRateTier>? tiers = null,
        string? description = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        ArgumentNullException.ThrowIfNull(sli);
        if (!IdPattern().IsMatch(id))
        {
            throw new ArgumentException($"'{id}' is not an SLO id; use 1 to 64 of a-z 0-9 _ - starting with a letter, such as 'checkout-availability'.", nameof(id));
        }

        if (objective.Value == 0m)
        {
            throw new ArgumentOutOfRangeException(nameof(objective), objective.Value, "The objective is unset; use Objective.Percent(99.9m) or Objective.Ratio(0.999m).");
        }

        BurnRateTier[] list = tiers is null ? [.. BurnRateTier.SreWorkbookDefaults] : [.. tiers];
        if (list.Length == 0)
        {
            throw new ArgumentException("An SLO needs at least one burn-rate tier; pass null for the SRE Workbook defaults.", nameof(tiers));
        }

        foreach (BurnRateTier tier in list)
        {
            ArgumentNullException.ThrowIfNull(tier, nameof(tiers));
        }

        if (list.Distinct().Count() != list.Length)
        {
            throw new ArgumentException("Two burn-rate tiers are the same.", nameof(tiers));
        }

        TimeSpan longest = list.Max(t => t.LongWindow);
        foreach (BurnRateTier tier in list)
        {
            if (period >= tier.LongWindow && tier.Factor(period) * objective.ErrorBudget >= 1m)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"The {SloNumber.Duration(tier.LongWindow)}/{SloNumber.Duration(tier.ShortWindow)} tier can never fire for a {objective} objective: its error-ratio threshold ({SloNumber.Format(tier.Factor(period) * objective.ErrorBudget)}) is not below 1. Use a higher objective or tiers that consume less of the budget."), nameof(tiers));
            }
        }

        if (period < longest || period > TimeSpan.FromDays(365) || period.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period,
                string.Create(CultureInfo.InvariantCulture, $"The SLO period must be a whole number of seconds from the longest tier window ({SloNumber.Duration(longest)}) to 365 days."));
        }

        Id = id;
        Service = service;
        Sli = sli;
        Objective = objective;
        Period = period;
        Tiers = list;
        Description = description;
    }

    /// <summary>Gets the id.</summary>
    public string Id { get; }

    /// <summary>Gets the service.</summary>
    public string Service { get; }

    /// <summary>Gets the indicator.</summary>
    public Sli Sli { get; }

    /// <summary>Gets the objective.</summary>
    public Objective Objective { get; }

    /// <summary>Gets the rolling period.</summary>
    public TimeSpan Period { get; }

    /// <summary>Gets the burn-rate tiers.</summary>
    public IReadOnlyList<BurnRateTier> Tiers { get; }

    /// <summary>Gets the description, if any.</summary>
    public string? Description { get; }

    /// <summary>
    /// Gets the fewest events a tier's long window must hold before its alert may fire: a guard against paging on
    /// the first failed request of a quiet night. Zero turns the guard off.
    /// </summary>
    /// <value>The default is 0 (no guard).</value>
    /// <exception cref="ArgumentOutOfRangeException">The value set is negative.</exception>
    public long MinimumEvents
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            field = value;
        }
    }

    /// <summary>
    /// Gets how long the SLI's total-events metric may be missing before a ticket alert (<c>SLOMetricAbsent</c>) fires:
    /// an SLO whose metric was renamed or never scraped is otherwise silently green.
    /// </summary>
    /// <value>The default is <see langword="null"/> (no absent-metric alert).</value>
    /// <exception cref="ArgumentOutOfRangeException">The value set is not a positive whole number of seconds.</exception>
    public TimeSpan? AbsentAlertAfter
    {
        get;
        init
        {
            if (value is { } after && (after <= TimeSpan.Zero || after.Ticks % TimeSpan.TicksPerSecond != 0))
            {
                throw new ArgumentOutOfRangeException(nameof(AbsentAlertAfter), after, "Use a positive whole number of seconds, such as 10 minutes.");
            }

            field = value;
        }
    }

    /// <summary>Gets the error budget: <c>1 − objective</c>.</summary>
    public decimal ErrorBudget => Objective.ErrorBudget;

    /// <summary>Gets the burn rate of an error ratio: the error ratio divided by the error budget.</summary>
    /// <param name="errorRatio">The share of bad events, from 0 to 1.</param>
    /// <returns>The burn rate; 1 spends the budget exactly over the period.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="errorRatio"/> is not from 0 to 1.</exception>
    public decimal BurnRate(decimal errorRatio)
    {
        if (errorRatio is < 0m or > 1m)
        {
            throw new ArgumentOutOfRangeException(nameof(errorRatio), errorRatio, "An error ratio is from 0 to 1.");
        }

        return errorRatio / ErrorBudget;
    }

    /// <summary>Gets every distinct window the tiers use, plus the period, shortest first.</summary>
    internal IReadOnlyList<TimeSpan> Windows =>
        [.. Tiers.SelectMany(t => new[] { t.ShortWindow, t.LongWindow }).Append(Period).Distinct().Order()];

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,63}\\z")]
    private static partial Regex IdPattern();
}
