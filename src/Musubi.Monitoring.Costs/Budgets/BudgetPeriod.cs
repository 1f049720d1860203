namespace Musubi.Monitoring.Costs;

/// <summary>The kinds of <see cref="BudgetPeriod"/>.</summary>
public enum BudgetPeriodKind
{
    /// <summary>A calendar day, from local midnight to the next local midnight.</summary>
    Daily = 0,

    /// <summary>A calendar week starting on a configurable day (ISO Monday by default).</summary>
    Weekly = 1,

    /// <summary>A calendar month, from local midnight on the 1st to local midnight on the 1st of the next month.</summary>
    Monthly = 2,

    /// <summary>A fixed length repeated from an anchor instant, independent of the time zone.</summary>
    Custom = 3,
}

/// <summary>
/// How a <see cref="Budget"/> is divided into periods: daily, weekly, calendar monthly (on the wall clock of the
/// budget's time zone) or a custom fixed length from an anchor instant.
/// </summary>
/// <remarks>Immutable and safe to share between threads.</remarks>
public sealed record BudgetPeriod
{
    private BudgetPeriod(BudgetPeriodKind kind, DayOfWeek firstDayOfWeek, TimeSpan length, DateTimeOffset anchor)
    {
        Kind = kind;
        FirstDayOfWeek = firstDayOfWeek;
        Length = length;
        Anchor = anchor;
    }

    /// <summary>A calendar day in the budget's time zone (23 or 25 hours long on daylight-saving days).</summary>
    public static BudgetPeriod Daily { get; } = new(BudgetPeriodKind.Daily, DayOfWeek.Monday, TimeSpan.Zero, default);

    /// <summary>A calendar week starting on Monday (ISO 8601) in the budget's time zone.</summary>
    public static BudgetPeriod Weekly { get; } = new(BudgetPeriodKind.Weekly, DayOfWeek.Monday, TimeSpan.Zero, default);

    /// <summary>A calendar month in the budget's time zone.</summary>
    public static BudgetPeriod Monthly { get; } = new(BudgetPeriodKind.Monthly, DayOfWeek.Monday, TimeSpan.Zero, default);

    /// <summary>The kind of period.</summary>
    public BudgetPeriodKind Kind { get; }

    /// <summary>The day a <see cref="BudgetPeriodKind.Weekly"/> period starts on; <see cref="DayOfWeek.Monday"/> for the other kinds.</summary>
    public DayOfWeek FirstDayOfWeek { get; }

    /// <summary>The length of a <see cref="BudgetPeriodKind.Custom"/> period; <see cref="TimeSpan.Zero"/> for the other kinds.</summary>
    public TimeSpan Length { get; }

    /// <summary>An instant at which a <see cref="BudgetPeriodKind.Custom"/> period starts; <see langword="default"/> for the other kinds.</summary>
    public DateTimeOffset Anchor { get; }

    /// <summary>A calendar week starting on <paramref name="firstDayOfWeek"/> in the budget's time zone.</summary>
    /// <param name="firstDayOfWeek">The first day of the week.</param>
    /// <returns>The period.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="firstDayOfWeek"/> is not a defined <see cref="DayOfWeek"/>; the message names the value.</exception>
    public static BudgetPeriod WeeklyStartingOn(DayOfWeek firstDayOfWeek)
    {
        if (!Enum.IsDefined(firstDayOfWeek))
        {
            throw new ArgumentOutOfRangeException(nameof(firstDayOfWeek), firstDayOfWeek, $"firstDayOfWeek {(int)firstDayOfWeek} is not a day of the week; use Sunday (0) to Saturday (6).");
        }

        return new(BudgetPeriodKind.Weekly, firstDayOfWeek, TimeSpan.Zero, default);
    }

    /// <summary>Periods of a fixed <paramref name="length"/> that start at <paramref name="anchor"/> and every multiple of <paramref name="length"/> before and after it.</summary>
    /// <param name="length">The length of each period; at least one second.</param>
    /// <param name="anchor">An instant at which a period starts.</param>
    /// <returns>The period.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is shorter than one second; the message names the value.</exception>
    public static BudgetPeriod Custom(TimeSpan length, DateTimeOffset anchor)
    {
        if (length < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"length {length.ToString("c", System.Globalization.CultureInfo.InvariantCulture)} is too short; a custom budget period must be at least one second.");
        }

        return new(BudgetPeriodKind.Custom, DayOfWeek.Monday, length, anchor);
    }

    /// <summary>The calendar period of <paramref name="kind"/> (weeks start on Monday).</summary>
    /// <param name="kind">Daily, weekly or monthly.</param>
    /// <returns>The period.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="kind"/> is <see cref="BudgetPeriodKind.Custom"/> (use <see cref="Custom"/>) or not a defined value; the message names the value.
    /// </exception>
    public static BudgetPeriod Of(BudgetPeriodKind kind) => kind switch
    {
        BudgetPeriodKind.Daily => Daily,
        BudgetPeriodKind.Weekly => Weekly,
        BudgetPeriodKind.Monthly => Monthly,
        BudgetPeriodKind.Custom => throw new ArgumentOutOfRangeException(nameof(kind), kind, "A Custom budget period needs a length and an anchor; use BudgetPeriod.Custom(length, anchor)."),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, $"Budget period kind {(int)kind} is unknown; use Daily, Weekly, Monthly or Custom."),
    };
}
