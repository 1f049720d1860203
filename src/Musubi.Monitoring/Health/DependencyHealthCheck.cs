using Microsoft.Extensions.Diagnostics.HealthChecks;
using Musubi.Monitoring.Diagnostics;

namespace Musubi.Monitoring.Health;

/// <summary>
/// Runs one dependency check under its timeout and turns every outcome into a result: the check's own result
/// (Unhealthy capped at the failure status, so a non-critical check reports Degraded), a timeout, or an exception.
/// Adds the latency and criticality to the result's data.
/// </summary>
/// <remarks>
/// Created per run by <see cref="HealthCheckRegistration.Factory"/> with the run's scoped service provider; it holds
/// only immutable state. The only exception that leaves it is the caller's own cancellation.
/// </remarks>
internal sealed class DependencyHealthCheck : IHealthCheck
{
    private readonly string _name;
    private readonly bool _critical;
    private readonly TimeSpan _timeout;
    private readonly IServiceProvider _services;
    private readonly Func<IServiceProvider, HealthCheckContext, CancellationToken, Task<HealthCheckResult>> _check;
    private readonly TimeProvider _time;

    public DependencyHealthCheck(
        string name,
        bool critical,
        TimeSpan timeout,
        IServiceProvider services,
        Func<IServiceProvider, HealthCheckContext, CancellationToken, Task<HealthCheckResult>> check,
        TimeProvider time)
    {
        _name = name;
        _critical = critical;
        _timeout = timeout;
        _services = services;
        _check = check;
        _time = time;
    }

    private HealthStatus FailureStatus => _critical ? HealthStatus.Unhealthy : HealthStatus.Degraded;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        long started = _time.GetTimestamp();
        // One timer, on the injected clock: it cancels the check's token and ends the wait below.
        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        Task<HealthCheckResult>? task = null;
        HealthCheckResult result;
        try
        {
            // Task.Run: a check that blocks before returning its task (a synchronous probe) is still cut off by the timeout.
            task = Task.Run(() => _check(_services, context, linked.Token)
                ?? throw new InvalidOperationException("The check returned null instead of a task."), linked.Token);
            // WaitAsync stops waiting when the token is cancelled, even if the check ignores it.
            HealthCheckResult own = await task.WaitAsync(linked.Token).ConfigureAwait(false);
            result = own.Status == HealthStatus.Unhealthy && FailureStatus != HealthStatus.Unhealthy
                ? new HealthCheckResult(FailureStatus, own.Description, own.Exception, own.Data)
                : own;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller gave up (the request was aborted, the host is stopping): HealthCheckService expects this.
            Abandon(task);
            throw;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            Abandon(task);
            string after = DependencyCheckOptionsValidator.Format(_timeout);
            MusubiMonitoringEventSource.Log.HealthCheckTimedOut(_name, after);
            result = new HealthCheckResult(
                FailureStatus,
                $"timed out after {after}",
                new TimeoutException($"The health check '{_name}' did not complete within {after}."));
        }
        catch (Exception e)
        {
            MusubiMonitoringEventSource.Log.HealthCheckThrew(_name, e.ToString());
            result = new HealthCheckResult(FailureStatus, $"threw {e.GetType().Name}: {e.Message}", e);
        }

        return WithData(result, _time.GetElapsedTime(started));
    }

    private HealthCheckResult WithData(HealthCheckResult result, TimeSpan elapsed)
    {
        var data = new Dictionary<string, object>(result.Data.Count + 2, StringComparer.Ordinal);
        foreach (KeyValuePair<string, object> pair in result.Data)
        {
            data[pair.Key] = pair.Value;
        }

        data[DependencyCheckDataKeys.LatencyMilliseconds] = elapsed.TotalMilliseconds;
        data[DependencyCheckDataKeys.Critical] = _critical;
        return new HealthCheckResult(result.Status, result.Description, result.Exception, data);
    }

    /// <summary>
    /// Lets a check that outlived its timeout (or its caller) run to its end unobserved by the endpoint, but observes
    /// its outcome, so a late failure is reported to the event source instead of surfacing as an unobserved task
    /// exception.
    /// </summary>
    private void Abandon(Task<HealthCheckResult>? task)
    {
        if (task is null)
        {
            return;
        }

        _ = task.ContinueWith(
            static (t, state) =>
            {
                if (t.Exception is { } error)
                {
                    MusubiMonitoringEventSource.Log.AbandonedHealthCheckFailed((string)state!, error.GetBaseException().ToString());
                }
            },
            _name,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }
}
