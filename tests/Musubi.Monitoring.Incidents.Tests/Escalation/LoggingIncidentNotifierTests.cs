using Microsoft.Extensions.Logging;
using Musubi.Monitoring.Incidents;

namespace Musubi.Monitoring.Incidents.Tests.Escalation;

public sealed class LoggingIncidentNotifierTests
{
    [Fact]
    public async Task NotifyAsync_Notification_LogsAWarningNamingIncidentLevelAndRecipients()
    {
        var logger = new ListLogger<LoggingIncidentNotifier>();
        var notifier = new LoggingIncidentNotifier(logger);
        var notification = new IncidentNotification("INC-7", "Disk full", Severity.Sev1, "default", 2, 1, ["ana", "ben"],
            new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero));

        NotificationResult result = await notifier.NotifyAsync(notification, TestContext.Current.CancellationToken);

        Assert.Equal(NotificationResult.Success(), result);
        var entry = Assert.Single(logger.Entries);
        Assert.Equal((LogLevel.Warning, 1), (entry.Level, entry.Id.Id));
        Assert.Equal("Incident INC-7 (SEV1) 'Disk full': escalation level 2, round 1 of policy default; notifying ana, ben.", entry.Message);
    }

    [Fact]
    public void Constructor_NullLogger_Throws() =>
        Assert.Throws<ArgumentNullException>(() => new LoggingIncidentNotifier(null!));
}
