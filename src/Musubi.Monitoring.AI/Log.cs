using Microsoft.Extensions.Logging;

namespace Musubi.Monitoring.AI;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "Recording the usage of a chat call to {Provider}/{Model} failed; the call itself succeeded.")]
    public static partial void RecordingFailed(ILogger logger, Exception exception, string provider, string model);

    [LoggerMessage(2, LogLevel.Warning, "Budget check before a chat call to {Provider}/{Model} failed; the call goes ahead.")]
    public static partial void BudgetCheckFailed(ILogger logger, Exception exception, string provider, string model);

    [LoggerMessage(3, LogLevel.Information, "Budget {Budget} refused a chat call to {Provider}/{Model}: {Reason}")]
    public static partial void BudgetRefused(ILogger logger, string budget, string provider, string model, string? reason);
}
