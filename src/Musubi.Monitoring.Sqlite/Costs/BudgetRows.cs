using System.Globalization;
using Microsoft.Data.Sqlite;
using Musubi.Monitoring.Costs;

namespace Musubi.Monitoring.Sqlite.Costs;

/// <summary>How a <see cref="Budget"/> is written to and read from a row of the <c>budgets</c> table.</summary>
internal static class BudgetRows
{
    public const string Columns = """
        name, limit_usd, period, first_day_of_week, period_length, period_anchor, period_anchor_offset, time_zone_id,
        scope, scope_value, warning_share, enforce
        """;

    public static void AddParameters(SqliteCommand command, Budget budget)
    {
        SqliteParameterCollection p = command.Parameters;
        BudgetPeriod period = budget.Period;
        p.AddWithValue("$name", budget.Name);
        p.AddWithValue("$limit", budget.Limit.ToString(CultureInfo.InvariantCulture));
        p.AddWithValue("$period", PeriodText(period.Kind));
        p.AddWithValue("$firstDay", period.FirstDayOfWeek.ToString());
        p.AddWithValue("$length", period.Length.Ticks);
        p.AddWithValue("$anchor", period.Anchor.UtcTicks);
        p.AddWithValue("$anchorOffset", (long)period.Anchor.Offset.TotalMinutes);
        p.AddWithValue("$timeZone", budget.TimeZoneId);
        p.AddWithValue("$scope", ScopeText(budget.Scope.Kind));
        p.AddWithValue("$scopeValue", (object?)budget.Scope.Value ?? DBNull.Value);
        p.AddWithValue("$warningShare", budget.WarningShare.ToString(CultureInfo.InvariantCulture));
        p.AddWithValue("$enforce", budget.Enforce ? 1 : 0);
    }

    /// <summary>Reads a budget from a row of <see cref="Columns"/>.</summary>
    /// <exception cref="InvalidDataException">A value is not one this version writes; the message names the budget, the column and the value.</exception>
    public static Budget Read(SqliteDataReader r, string dataSource)
    {
        string name = r.GetString(0);
        string Where(string column, string value, string allowed) =>
            $"Budget '{name}' in the SQLite database '{dataSource}' has {column} '{value}', which this version of Musubi.Monitoring.Sqlite does not know; expected {allowed}.";

        string limitText = r.GetString(1);
        string periodText = r.GetString(2);
        string firstDayText = r.GetString(3);
        string scopeText = r.GetString(8);
        string? scopeValue = r.IsDBNull(9) ? null : r.GetString(9);
        string shareText = r.GetString(10);
        decimal limit = ParseDecimal(limitText) ?? throw new InvalidDataException(Where("limit_usd", limitText, "an invariant decimal such as 50 or 12.5"));
        decimal share = ParseDecimal(shareText) ?? throw new InvalidDataException(Where("warning_share", shareText, "an invariant decimal such as 0.8"));
        if (!Enum.TryParse(firstDayText, ignoreCase: false, out DayOfWeek firstDay) || !Enum.IsDefined(firstDay) || !char.IsLetter(firstDayText[0]))
        {
            throw new InvalidDataException(Where("first_day_of_week", firstDayText, "Sunday, Monday, Tuesday, Wednesday, Thursday, Friday or Saturday"));
        }

        try
        {
            BudgetPeriod period = periodText switch
            {
                "daily" => BudgetPeriod.Daily,
                "weekly" => BudgetPeriod.WeeklyStartingOn(firstDay),
                "monthly" => BudgetPeriod.Monthly,
                "custom" => BudgetPeriod.Custom(
                    TimeSpan.FromTicks(r.GetInt64(4)),
                    new DateTimeOffset(r.GetInt64(5), TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(r.GetInt64(6)))),
                _ => throw new InvalidDataException(Where("period", periodText, "daily, weekly, monthly or custom")),
            };
            BudgetScope scope = scopeText switch
            {
                "global" => BudgetScope.Global,
                "user" => BudgetScope.User(scopeValue!),
                "feature" => BudgetScope.Feature(scopeValue!),
                "model" => BudgetScope.Model(scopeValue!),
                _ => throw new InvalidDataException(Where("scope", scopeText, "global, user, feature or model")),
            };
            return new Budget(name, limit, period)
            {
                TimeZoneId = r.GetString(7),
                Scope = scope,
                WarningShare = share,
                Enforce = r.GetInt64(11) != 0,
            };
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"Budget '{name}' in the SQLite database '{dataSource}' is not a valid budget: {ex.Message}", ex);
        }
    }

    private static decimal? ParseDecimal(string text) =>
        decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal value) ? value : null;

    private static string PeriodText(BudgetPeriodKind kind) => kind switch
    {
        BudgetPeriodKind.Daily => "daily",
        BudgetPeriodKind.Weekly => "weekly",
        BudgetPeriodKind.Monthly => "monthly",
        _ => "custom",
    };

    private static string ScopeText(BudgetScopeKind kind) => kind switch
    {
        BudgetScopeKind.Global => "global",
        BudgetScopeKind.User => "user",
        BudgetScopeKind.Feature => "feature",
        _ => "model",
    };
}
