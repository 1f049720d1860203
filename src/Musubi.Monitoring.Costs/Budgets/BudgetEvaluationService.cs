using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Musubi.Monitoring.Costs;

/// <summary>
/// Evaluates every budget of the <see cref="BudgetMonitor"/> when the host starts, every interval on the container's
/// <see cref="TimeProvider"/>, and when a <see cref="CostTracker"/> records usage (see
/// <see cref="CostOptions.EvaluateBudgetsAfterRecord"/>). Requests that arrive during an evaluation are folded into one
/// more. A failed evaluation is logged and never reaches the host; stopping cancels the running evaluation.
/// </summary>
internal sealed class BudgetEvaluationService(
    BudgetMonitor monitor, BudgetEvaluationTrigger trigger, TimeProvider timeProvider, TimeSpan interval, ILogger logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        trigger.Request();
        using ITimer timer = timeProvider.CreateTimer(static s => ((BudgetEvaluationTrigger)s!).Request(), trigger, interval, interval);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await trigger.WaitAsync(stoppingToken).ConfigureAwait(false);
                await monitor.EvaluateAllAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed evaluation (ledger down, sink bug) must not stop the host; it is logged and retried.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                BudgetLog.EvaluationFailed(logger, ex);
            }
        }
    }
}
