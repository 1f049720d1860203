using System.Globalization;

namespace Musubi.Monitoring.Incidents;

/// <summary>
/// Sends each notification through several notifiers at once (a webhook and the log, say). Delivered when every one
/// delivered it; otherwise the errors are joined, each prefixed with its notifier's type.
/// </summary>
internal sealed class CompositeIncidentNotifier(IReadOnlyList<IIncidentNotifier> notifiers) : IIncidentNotifier
{
    public async Task<NotificationResult> NotifyAsync(IncidentNotification notification, CancellationToken cancellationToken)
    {
        NotificationResult[] results = await Task.WhenAll(notifiers.Select(n => SafeAsync(n, notification, cancellationToken))).ConfigureAwait(false);
        string[] errors = [.. results.Select((r, i) => r.Delivered ? null : $"{notifiers[i].GetType().Name}: {r.Error}").OfType<string>()];
        int attempts = results.Max(r => r.Attempts);
        return errors.Length == 0 ? NotificationResult.Success(attempts) : NotificationResult.Failure(attempts, string.Join("; ", errors));
    }

    private static async Task<NotificationResult> SafeAsync(IIncidentNotifier notifier, IncidentNotification notification, CancellationToken cancellationToken)
    {
        try
        {
            return await notifier.NotifyAsync(notification, cancellationToken).ConfigureAwait(false)
                ?? NotificationResult.Failure(1, "the notifier returned no result");
        }
        catch (Exception e)
        {
            return NotificationResult.Failure(1, string.Create(CultureInfo.InvariantCulture, $"{e.GetType().Name}: {e.Message}"));
        }
    }
}
