using System.Globalization;

namespace Musubi.Monitoring.Slo;

/// <summary>Who an alert wakes: a page (now) or a ticket (working hours).</summary>
public enum AlertSeverity
{
    /// <summary>Wake someone now.</summary>
    Page,

    /// <summary>Handle in working hours.</summary>
    Ticket,
}

/// <summary>
/// One multi-window burn-rate alert condition: fire when the error budget burns fast enough that
/// <see cref="BudgetConsumed"/> of the whole period's budget would be gone within <see cref="LongWindow"/>, and the
/// <see cref="ShortWindow"/> agrees (so the alert resets soon after the burn stops).
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record BurnRateTier
{
    /// <summary>Initializes a new instance of the <see cref="BurnRateTier"/> class.</summary>
    /// <param name="severity">Page or ticket.</param>
    /// <param name="budgetConsumed">The share of the period's error budget that the long window may consume, strictly between 0 and 1 (0.02 for 2%).</param>
    /// <param name="longWindow">The long window, such as 1 hour.</param>
    /// <param name="shortWindow">The short window, shorter than the long one, such as 5 minutes.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="severity"/> is undefined, <paramref name="budgetConsumed"/> is not strictly between 0 and 1, a window
    /// is not a positive whole number of seconds, or the short window is not shorter than the long one.
    /// </exception>
    public BurnRateTier(AlertSeverity severity, decimal budgetConsumed, TimeSpan longWindow, TimeSpan shortWindow)
    {
        if (!Enum.IsDefined(severity))
        {
            throw new ArgumentOutOfRangeException(nameof(severity), severity, "Use AlertSeverity.Page or AlertSeverity.Ticket.");
        }

        if (budgetConsumed is <= 0m or >= 1m)
        {
            throw new ArgumentOutOfRangeException(nameof(budgetConsumed), budgetConsumed,
                string.Create(CultureInfo.InvariantCulture, $"The budget share consumed is {budgetConsumed}; use a share strictly between 0 and 1, such as 0.02 for 2%."));
        }

        CheckWindow(longWindow, nameof(longWindow));
        CheckWindow(shortWindow, nameof(shortWindow));
        if (shortWindow >= longWindow)
        {
            throw new ArgumentOutOfRangeException(nameof(shortWindow), shortWindow,
                string.Create(CultureInfo.InvariantCulture, $"The short window ({SloNumber.Duration(shortWindow)}) must be shorter than the long window ({SloNumber.Duration(longWindow)})."));
        }

        Severity = severity;
        BudgetConsumed = budgetConsumed;
        LongWindow = longWindow;
        ShortWindow = shortWindow;
    }

    /// <summary>Gets the SRE Workbook's tiers: page at 2% of the budget in 1h (5m short window), page at 5% in 6h (30m), ticket at 10% in 3d (6h).</summary>
    public static IReadOnlyList<BurnRateTier> SreWorkbookDefaults { get; } =
    [
        new(AlertSeverity.Page, 0.02m, TimeSpan.FromHours(1), TimeSpan.FromMinutes(5)),
        new(AlertSeverity.Page, 0.05m, TimeSpan.FromHours(6), TimeSpan.FromMinutes(30)),
        new(AlertSeverity.Ticket, 0.10m, TimeSpan.FromDays(3), TimeSpan.FromHours(6)),
    ];

    /// <summary>Gets the severity.</summary>
    public AlertSeverity Severity { get; }

    /// <summary>Gets the share of the period's error budget the long window may consume.</summary>
    public decimal BudgetConsumed { get; }

    /// <summary>Gets the long window.</summary>
    public TimeSpan LongWindow { get; }

    /// <summary>Gets the short window.</summary>
    public TimeSpan ShortWindow { get; }

    /// <summary>
    /// Returns the burn-rate factor for an SLO period: <c>budget consumed × period ÷ long window</c>, exactly
    /// (14.4, 6 and 1 for the defaults over 30 days; 13.44, 5.6 and 0.9333… over 28 days).
    /// </summary>
    /// <param name="period">The SLO period.</param>
    /// <returns>The factor: the error ratio divided by the error budget above which the tier fires.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="period"/> is shorter than the long window.</exception>
    public decimal Factor(TimeSpan period)
    {
        if (period < LongWindow)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period,
                string.Create(CultureInfo.InvariantCulture, $"The SLO period ({SloNumber.Duration(period)}) is shorter than this tier's long window ({SloNumber.Duration(LongWindow)})."));
        }

        return BudgetConsumed * ((decimal)period.Ticks / LongWindow.Ticks);
    }

    private static void CheckWindow(TimeSpan window, string parameter)
    {
        if (window < TimeSpan.FromSeconds(1) || window.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentOutOfRangeException(parameter, window, "A window must be a positive whole number of seconds, such as 5 minutes.");
        }
    }
}
