using System.CommandLine;
using System.Globalization;
using Musubi.Monitoring.Sqlite;

namespace Musubi.Monitoring.Costs.Cli;

/// <summary>
/// <c>budget set|status|clear</c>: budgets kept in the ledger file through <see cref="SqliteBudgetStore"/>, where a host's
/// <see cref="BudgetMonitor"/> reads them. <c>status</c> only reads: it computes each budget's spend from the ledger
/// (<see cref="LedgerBudgetSpend"/>) and never raises or claims alerts, so the host still raises them.
/// </summary>
internal static class BudgetCommand
{
    private static readonly string[] s_periods = ["daily", "weekly", "monthly"];

    /// <summary>Builds the command and its subcommands.</summary>
    /// <param name="context">The shared context.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var budget = new Command("budget", "Set, show or clear the spending budgets kept in the ledger file (a host's BudgetMonitor reads them).")
        {
            Set(context),
            Status(context),
            Clear(context),
        };
        return budget;
    }

    private static Command Set(CliContext context)
    {
        var amount = new Argument<decimal>("amount") { Description = "The limit per period in US dollars, for example 50 or 12.5." };
        amount.CustomParser = result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out decimal value) || value <= 0m)
            {
                result.AddError($"The budget amount '{text}' is not a number of US dollars more than 0 (for example 50 or 12.5).");
                return 0m;
            }

            return value;
        };
        var period = new Argument<string>("period") { Description = "daily, weekly (ISO, Monday first) or monthly.", DefaultValueFactory = _ => "monthly" };
        period.AcceptOnlyFromAmong(s_periods);
        var name = new Option<string?>("--name") { Description = "The budget's name. Default: the period (monthly), or period-kind-value for a scoped budget.", HelpName = "name" };
        var timeZone = new Option<string>("--time-zone", "--tz") { Description = "The IANA time zone whose calendar defines the periods.", DefaultValueFactory = _ => "UTC", HelpName = "zone" };
        var warnAt = new Option<decimal>("--warn-at") { Description = "The share of the limit at which the host warns, more than 0 and less than 1.", DefaultValueFactory = _ => 0.8m, HelpName = "share" };
        var user = new Option<string?>("--user") { Description = "Count only this user's calls.", HelpName = "id" };
        var feature = new Option<string?>("--feature") { Description = "Count only this feature's calls.", HelpName = "name" };
        var model = new Option<string?>("--model") { Description = "Count only calls to this request model.", HelpName = "model" };
        var enforce = new Option<bool>("--enforce") { Description = "Let the host refuse calls once the budget is spent (BudgetMonitor.CheckAsync)." };
        var command = new Command("set", "Add a budget, or replace the one of the same name.") { amount, period, name, timeZone, warnAt, user, feature, model, enforce };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            BudgetScope scope = Scope(parseResult.GetValue(user), parseResult.GetValue(feature), parseResult.GetValue(model));
            string periodName = parseResult.GetValue(period)!;
            string budgetName = NonBlankName(parseResult.GetValue(name))
                ?? (scope.Kind == BudgetScopeKind.Global ? periodName : $"{periodName}-{scope.Kind.ToString().ToLowerInvariant()}-{scope.Value}");
            decimal limit = parseResult.GetValue(amount);
            string zone = ReportCommand.FindTimeZone(parseResult.GetValue(timeZone)!).Id;
            Budget newBudget;
            try
            {
                newBudget = new Budget(budgetName, limit, BudgetPeriod.Of(Enum.Parse<BudgetPeriodKind>(periodName, ignoreCase: true)))
                {
                    TimeZoneId = zone,
                    Scope = scope,
                    WarningShare = parseResult.GetValue(warnAt),
                    Enforce = parseResult.GetValue(enforce),
                };
            }
            catch (ArgumentException e)
            {
                throw new CliUsageException(e.ParamName == nameof(Budget.WarningShare) ? "--warn-at: " + Message(e) : Message(e), e);
            }

            LedgerLocation location = context.ResolveLedger(parseResult);
            var store = new SqliteBudgetStore(location.ConnectionString, context.TimeProvider);
            bool added = await store.UpsertBudgetAsync(newBudget, cancellationToken);
            context.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Budget '{newBudget.Name}' {(added ? "added" : "replaced")}: {Money.Usd(newBudget.Limit)} per {Unit(newBudget.Period)} ({newBudget.TimeZoneId}), {newBudget.Scope}, warning at {Percent(newBudget.WarningShare)}{(newBudget.Enforce ? ", enforced" : string.Empty)}; in '{location.Path}'."));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Status(CliContext context)
    {
        var check = new Option<bool>("--check") { Description = "Exit 2 when any budget is at or over its limit (for scripts and CI)." };
        var name = new Option<string?>("--name") { Description = "Show only this budget.", HelpName = "name" };
        Option<string> format = CommonOptions.Format("text", "json");
        var command = new Command("status", "Show each budget's spend in its current period, from the ledger. --check: exit 2 when over budget.") { check, name, format };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            LedgerLocation location = context.ResolveLedger(parseResult);
            SqliteCostLedger ledger = location.OpenExisting(context.TimeProvider);
            var store = new SqliteBudgetStore(location.ConnectionString, context.TimeProvider);
            IReadOnlyList<Budget> budgets = await store.GetBudgetsAsync(cancellationToken);
            if (parseResult.GetValue(name) is { } only)
            {
                budgets = [.. budgets.Where(b => string.Equals(b.Name, only, StringComparison.Ordinal))];
                if (budgets.Count == 0)
                {
                    throw new CliUsageException($"There is no budget named '{only}' in '{location.Path}'.");
                }
            }

            DateTimeOffset now = context.TimeProvider.GetUtcNow();
            var spend = new LedgerBudgetSpend(ledger);
            var statuses = new List<BudgetStatus>();
            foreach (Budget budget in budgets)
            {
                (DateTimeOffset start, DateTimeOffset end) = budget.PeriodAt(now);
                decimal spent = await spend.GetSpendAsync(budget.Scope, start, end, cancellationToken);
                statuses.Add(new BudgetStatus { Budget = budget, PeriodStart = start, PeriodEnd = end, Spent = spent });
            }

            if (parseResult.GetValue(format) == "json")
            {
                context.Environment.Output.Write(Json(statuses));
            }
            else if (statuses.Count == 0)
            {
                context.WriteLine($"No budgets are set in '{location.Path}'. Add one with: musubi-costs budget set <amount> [daily|weekly|monthly]");
            }
            else
            {
                WriteTable(context, statuses);
            }

            List<BudgetStatus> over = [.. statuses.Where(s => s.State == BudgetState.Exceeded)];
            if (parseResult.GetValue(check) && over.Count > 0)
            {
                foreach (BudgetStatus status in over)
                {
                    context.Environment.Error.Write(string.Create(
                        CultureInfo.InvariantCulture,
                        $"over budget: '{status.Budget.Name}' has spent {Money.Usd(status.Spent)} of {Money.Usd(status.Limit)} this {Unit(status.Budget.Period)} (until {Instant(status.PeriodEnd)}).\n"));
                }

                return ExitCodes.OverBudget;
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Clear(CliContext context)
    {
        var name = new Option<string?>("--name") { Description = "Delete only this budget; without it every budget is deleted.", HelpName = "name" };
        var command = new Command("clear", "Delete the budgets (or one, with --name) from the ledger file. Records are kept.") { name };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            LedgerLocation location = context.ResolveLedger(parseResult);
            if (!File.Exists(location.Path))
            {
                throw new CliUsageException($"There is no ledger file at '{location.Path}' (from {location.Source}), so there are no budgets to clear.");
            }

            var store = new SqliteBudgetStore(location.ConnectionString, context.TimeProvider);
            string? only = NonBlankName(parseResult.GetValue(name));
            IReadOnlyList<string> names = only is not null ? [only] : [.. (await store.GetBudgetsAsync(cancellationToken)).Select(b => b.Name)];
            int deleted = 0;
            foreach (string budgetName in names)
            {
                if (await store.DeleteBudgetAsync(budgetName, cancellationToken))
                {
                    deleted++;
                }
                else
                {
                    throw new CliUsageException($"There is no budget named '{budgetName}' in '{location.Path}'.");
                }
            }

            context.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Deleted {deleted} budget{(deleted == 1 ? string.Empty : "s")} from '{location.Path}'."));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string? NonBlankName(string? name) => name is not null && string.IsNullOrWhiteSpace(name)
        ? throw new CliUsageException($"--name is empty ('{name}'); give a budget name such as team, or leave --name out.")
        : name;

    private static BudgetScope Scope(string? user, string? feature, string? model)
    {
        int given = (user is null ? 0 : 1) + (feature is null ? 0 : 1) + (model is null ? 0 : 1);
        if (given > 1)
        {
            throw new CliUsageException("Give at most one of --user, --feature and --model: a budget has one scope.");
        }

        try
        {
            return user is not null ? BudgetScope.User(user)
                : feature is not null ? BudgetScope.Feature(feature)
                : model is not null ? BudgetScope.Model(model)
                : BudgetScope.Global;
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException($"The budget scope is empty ({Message(e)}); give a user id, feature or model name.", e);
        }
    }

    private static void WriteTable(CliContext context, List<BudgetStatus> statuses)
    {
        List<string[]> rows = [.. statuses.Select(s => new[]
        {
            s.Budget.Name,
            s.Budget.Scope.ToString(),
            $"{Instant(s.PeriodStart)} to {Instant(s.PeriodEnd)}",
            Money.Usd(s.Spent),
            Money.Usd(s.Limit),
            Money.Usd(s.Remaining),
            Percent(s.Share),
            State(s.State),
        })];
        TableOutput.Write(context.Environment, string.Create(CultureInfo.InvariantCulture, $"Budgets at {Instant(context.TimeProvider.GetUtcNow())}"),
            ["Budget", "Scope", "Period", "Spent", "Limit", "Remaining", "Used", "State"], rows, [false, false, false, true, true, true, true, false]);
    }

    private static string Json(List<BudgetStatus> statuses) => JsonOutput.Write(json =>
    {
        json.WriteStartArray();
        foreach (BudgetStatus s in statuses)
        {
            json.WriteStartObject();
            json.WriteString("name", s.Budget.Name);
            json.WriteString("scope", s.Budget.Scope.ToString());
            json.WriteString("period", s.Budget.Period.Kind.ToString().ToLowerInvariant());
            json.WriteString("timeZone", s.Budget.TimeZoneId);
            json.WriteString("periodStart", Instant(s.PeriodStart));
            json.WriteString("periodEnd", Instant(s.PeriodEnd));
            json.WriteString("currency", "USD");
            json.WriteString("spent", Money.Exact(s.Spent));
            json.WriteString("limit", Money.Exact(s.Limit));
            json.WriteString("remaining", Money.Exact(s.Remaining));
            json.WriteString("warningShare", Money.Exact(s.Budget.WarningShare));
            json.WriteBoolean("enforce", s.Budget.Enforce);
            json.WriteString("state", State(s.State));
            json.WriteEndObject();
        }

        json.WriteEndArray();
    });

    private static string State(BudgetState state) => state switch
    {
        BudgetState.Exceeded => "EXCEEDED",
        BudgetState.Warning => "WARNING",
        _ => "OK",
    };

    private static string Unit(BudgetPeriod period) => period.Kind switch
    {
        BudgetPeriodKind.Daily => "day",
        BudgetPeriodKind.Weekly => "week",
        BudgetPeriodKind.Monthly => "month",
        _ => "period",
    };

    // Display only: the share rounded to 0.1 percentage point; the amounts stay exact.
    private static string Percent(decimal share) => Math.Round(share * 100m, 1, MidpointRounding.AwayFromZero).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    private static string Instant(DateTimeOffset instant) => instant.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    // The library's messages end with "(Parameter '…')" and, out of range, "Actual value was …" on a second line: the tool's user
    // never saw that parameter, and the first line already names the value.
    private static string Message(ArgumentException e)
    {
        string first = e.Message.Split('\n')[0].TrimEnd('\r');
        return e.ParamName is { } p ? first.Replace($" (Parameter '{p}')", string.Empty, StringComparison.Ordinal) : first;
    }
}
