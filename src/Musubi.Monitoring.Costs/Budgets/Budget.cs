using System.Globalization;

namespace Musubi.Monitoring.Costs;

/// <summary>
/// A spending limit per period: for example US$500 per calendar month in Asia/Tokyo for all calls, or US$5 per
/// day for one user. Periods are computed on the wall clock of <see cref="TimeZoneId"/>.
/// </summary>
/// <remarks>
/// Every value is validated when it is set, including in a <see langword="with"/> expression. Immutable and safe
/// to share between threads.
/// </remarks>
public sealed record Budget
{
    private readonly string _name = "";
    private readonly decimal _limit;
    private readonly BudgetPeriod _period = BudgetPeriod.Monthly;
    private readonly string _timeZoneId = "UTC";
    private readonly TimeZoneInfo _timeZone = TimeZoneInfo.Utc;
    private readonly BudgetScope _scope = BudgetScope.Global;
    private readonly decimal _warningShare = 0.8m;

    /// <summary>Creates a budget.</summary>
    /// <param name="name">A name unique among the budgets of a <see cref="BudgetMonitor"/>; used in alerts, logs and metrics.</param>
    /// <param name="limit">The limit per period in US dollars; more than 0.</param>
    /// <param name="period">How the budget is divided into periods.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="period"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is 0 or less; the message names the value.</exception>
    public Budget(string name, decimal limit, BudgetPeriod period)
    {
        Name = name;
        Limit = limit;
        Period = period;
    }

    /// <summary>The budget's name, unique among the budgets of a <see cref="BudgetMonitor"/>.</summary>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The value is empty or white space.</exception>
    public string Name
    {
        get => _name;
        init
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value, nameof(Name));
            _name = value;
        }
    }

    /// <summary>The limit per period in US dollars.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is 0 or less; the message names the value.</exception>
    public decimal Limit
    {
        get => _limit;
        init
        {
            if (value <= 0m)
            {
                throw new ArgumentOutOfRangeException(nameof(Limit), value, $"Budget limit {value.ToString(CultureInfo.InvariantCulture)} must be more than 0.");
            }

            _limit = value;
        }
    }

    /// <summary>How the budget is divided into periods.</summary>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public BudgetPeriod Period
    {
        get => _period;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(Period));
            _period = value;
        }
    }

    /// <summary>The IANA time zone whose wall clock defines days, weeks and months, for example <c>Asia/Tokyo</c>.</summary>
    /// <value>The default is <c>UTC</c>.</value>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The value is empty, white space or not a time zone known to this system; the message names the value.</exception>
    public string TimeZoneId
    {
        get => _timeZoneId;
        init
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value, nameof(TimeZoneId));
            try
            {
                _timeZone = TimeZoneInfo.FindSystemTimeZoneById(value);
            }
            catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                throw new ArgumentException($"Time zone '{value}' is unknown on this system; use an IANA id such as 'Europe/Berlin' or 'UTC'.", nameof(TimeZoneId), ex);
            }

            _timeZoneId = value;
        }
    }

    /// <summary>Which calls count towards the budget.</summary>
    /// <value>The default is <see cref="BudgetScope.Global"/>.</value>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public BudgetScope Scope
    {
        get => _scope;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(Scope));
            _scope = value;
        }
    }

    /// <summary>The share of <see cref="Limit"/> at which a warning is raised; more than 0 and less than 1.</summary>
    /// <value>The default is 0.8 (80%).</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is 0 or less, or 1 or more; the message names the value.</exception>
    public decimal WarningShare
    {
        get => _warningShare;
        init
        {
            if (value <= 0m || value >= 1m)
            {
                throw new ArgumentOutOfRangeException(nameof(WarningShare), value, $"Budget warning share {value.ToString(CultureInfo.InvariantCulture)} must be more than 0 and less than 1 (0.8 is 80%).");
            }

            _warningShare = value;
        }
    }

    /// <summary>Whether <see cref="BudgetMonitor.CheckAsync"/> refuses calls when the budget is exceeded.</summary>
    /// <value>The default is <see langword="false"/> (alerts only).</value>
    public bool Enforce { get; init; }

    /// <summary>The resolved time zone of <see cref="TimeZoneId"/>.</summary>
    internal TimeZoneInfo TimeZone => _timeZone;

    /// <summary>
    /// The period containing <paramref name="instant"/>, as <c>[Start, End)</c> instants. Calendar periods start at
    /// local midnight in <see cref="TimeZoneId"/>, so a day is 23 or 25 hours long on a daylight-saving change. Where
    /// a zone skips local midnight, the period starts at the first instant after the gap; where midnight occurs twice,
    /// at the earlier one.
    /// </summary>
    /// <param name="instant">Any instant.</param>
    /// <returns>The start (inclusive) and end (exclusive) of the period.</returns>
    public (DateTimeOffset Start, DateTimeOffset End) PeriodAt(DateTimeOffset instant) => BudgetPeriodCalculator.PeriodAt(_period, _timeZone, instant);
}
