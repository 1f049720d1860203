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
}
