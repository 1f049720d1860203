using Microsoft.Extensions.Logging;

namespace Musubi.Monitoring.Costs;

internal static partial class BudgetLog
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Budget {BudgetName} ({Scope}) reached its warning share: spent {Spent} of {Limit} USD in the period {PeriodStart} to {PeriodEnd}.")]
    public static partial void BudgetWarning(ILogger logger, string budgetName, string scope, string spent, string limit, DateTimeOffset periodStart, DateTimeOffset periodEnd);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Error, Message = "Budget {BudgetName} ({Scope}) exceeded: spent {Spent} of {Limit} USD in the period {PeriodStart} to {PeriodEnd}.")]
    public static partial void BudgetExceeded(ILogger logger, string budgetName, string scope, string spent, string limit, DateTimeOffset periodStart, DateTimeOffset periodEnd);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Budget check refused a call: {Reason}")]
    public static partial void CallRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Error, Message = "Budget alert sink {SinkType} failed for budget {BudgetName}.")]
    public static partial void SinkFailed(ILogger logger, Exception exception, string sinkType, string budgetName);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Error, Message = "Reading the budget store failed; the {Count} budgets last read are monitored until it can be read again.")]
    public static partial void StoreReadFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Error, Message = "Recording the {Kind} alert of budget {BudgetName} in the budget store failed; the alert is raised anyway and may be raised again after a restart.")]
    public static partial void StoreClaimFailed(ILogger logger, Exception exception, string kind, string budgetName);

    [LoggerMessage(EventId = 4107, Level = LogLevel.Warning, Message = "Stored budget {BudgetName} is ignored: a budget of that name is configured in code or options, and the configured one wins. Rename or delete the stored one.")]
    public static partial void StoredBudgetShadowed(ILogger logger, string budgetName);

    [LoggerMessage(EventId = 4108, Level = LogLevel.Error, Message = "Budget evaluation failed; it is tried again at the next interval.")]
    public static partial void EvaluationFailed(ILogger logger, Exception exception);
}
