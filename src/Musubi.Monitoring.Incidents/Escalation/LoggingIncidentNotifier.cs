using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Musubi.Monitoring.Incidents;

/// <summary>
/// Writes each notification to a log at warning level (event id 1, category
/// <c>Musubi.Monitoring.Incidents.LoggingIncidentNotifier</c>), for development and as a record beside a real notifier.
/// </summary>
/// <remarks>Thread-safe. Always reports the notification as delivered.</remarks>
public sealed class LoggingIncidentNotifier : IIncidentNotifier
{
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="LoggingIncidentNotifier"/> class.</summary>
    /// <param name="logger">The logger.</param>
    /// <exception cref="ArgumentNullException"><paramref name="logger"/> is <see langword="null"/>.</exception>
    public LoggingIncidentNotifier(ILogger<LoggingIncidentNotifier> logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="notification"/> is <see langword="null"/>.</exception>
    public Task<NotificationResult> NotifyAsync(IncidentNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        EscalationLog.Notification(_logger, notification.IncidentId, SeverityName(notification.Severity), notification.Title,
            notification.Level, notification.Round, notification.PolicyId, string.Join(", ", notification.Recipients));
        return Task.FromResult(NotificationResult.Success());
    }

    internal static string SeverityName(Severity severity) => "SEV" + ((int)severity).ToString(CultureInfo.InvariantCulture);
}
