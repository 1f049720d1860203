namespace Musubi.Monitoring.IntegrationTests.Support;

/// <summary>Bounded polling: real servers answer in their own time, so tests wait for a condition, never for a fixed time.</summary>
internal static class Deadline
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Polls <paramref name="probe"/> until it returns a value, or <paramref name="timeout"/> passes.</summary>
    /// <returns>The value, or <see langword="null"/> on time-out.</returns>
    public static async Task<T?> PollAsync<T>(TimeSpan timeout, Func<CancellationToken, Task<T?>> probe, CancellationToken cancellationToken)
        where T : class
    {
        long started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            T? value = await probe(cancellationToken);
            if (value is not null || TimeProvider.System.GetElapsedTime(started) >= timeout)
            {
                return value;
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }
}
