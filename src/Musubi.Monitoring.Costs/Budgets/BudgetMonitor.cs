using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Musubi.Monitoring.Costs;

/// <summary>
/// Evaluates budgets against an <see cref="IBudgetSpend"/>, raises warning and exceeded alerts, and checks calls
/// before they are made when a budget is enforced.
/// </summary>
/// <remarks>
/// <para>
/// Alerts: each evaluation compares the spend in the current period with the budget's warning share and limit.
/// A <see cref="BudgetAlertKind.Warning"/> alert is raised the first time the share is reached in a period and an
/// <see cref="BudgetAlertKind.Exceeded"/> alert the first time the limit is reached; a period that goes straight
/// past the limit raises only the exceeded alert. Both are re-armed when the period changes. Which alerts were
/// raised is kept in memory per budget name, so a restarted process may raise an alert again in the same period.
/// </para>
/// <para>
/// Alerts go to every <see cref="IBudgetAlertSink"/>, to the logger (warning and error levels) and, with a
/// <see cref="Meter"/>, the gauges <c>musubi.budget.spent</c> and <c>musubi.budget.limit</c> (USD, tagged
/// <c>budget</c> and <c>scope</c>) report the last evaluation. A sink that throws is logged and does not stop the
/// others or the caller.
/// </para>
/// <para>Safe to use from several threads.</para>
/// </remarks>
public sealed class BudgetMonitor
{
    private readonly Budget[] _budgets;
    private readonly IBudgetSpend _spend;
    private readonly TimeProvider _timeProvider;
    private readonly IBudgetAlertSink[] _sinks;
    private readonly ILogger _logger;
    private readonly BudgetMetrics? _metrics;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (DateTimeOffset PeriodStart, BudgetState Raised)> _raised = new(StringComparer.Ordinal);

    /// <summary>Creates a monitor for <paramref name="budgets"/>.</summary>
    /// <param name="budgets">The budgets; their names must be unique (ordinal).</param>
    /// <param name="spend">Where spend is read.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="sinks">Who receives alerts; none when <see langword="null"/>.</param>
    /// <param name="logger">Where alerts and refusals are logged; nowhere when <see langword="null"/>.</param>
    /// <param name="meter">Where the spend and limit gauges are created; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="budgets"/>, one of them, <paramref name="spend"/> or a sink is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Two budgets have the same name; the message names it.</exception>
    public BudgetMonitor(
        IEnumerable<Budget> budgets,
        IBudgetSpend spend,
        TimeProvider? timeProvider = null,
        IEnumerable<IBudgetAlertSink>? sinks = null,
        ILogger? logger = null,
        Meter? meter = null)
    {
        ArgumentNullException.ThrowIfNull(budgets);
        ArgumentNullException.ThrowIfNull(spend);
        _budgets = [.. budgets];
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Budget budget in _budgets)
        {
            ArgumentNullException.ThrowIfNull(budget, nameof(budgets));
            if (!names.Add(budget.Name))
            {
                throw new ArgumentException($"Budget name '{budget.Name}' is used twice; budget names must be unique.", nameof(budgets));
            }
        }

        _sinks = sinks is null ? [] : [.. sinks];
        foreach (IBudgetAlertSink sink in _sinks)
        {
            ArgumentNullException.ThrowIfNull(sink, nameof(sinks));
        }

        _spend = spend;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _metrics = meter is null ? null : new BudgetMetrics(meter);
    }

    /// <summary>The monitored budgets.</summary>
    public IReadOnlyList<Budget> Budgets => _budgets;

    /// <summary>Reads the spend of <paramref name="budget"/> in the current period and raises any alert due.</summary>
    /// <param name="budget">The budget; usually one of <see cref="Budgets"/>. Alert state is kept by name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The status.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="budget"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>An exception thrown by the <see cref="IBudgetSpend"/> propagates to the caller; no alert is raised for that evaluation.</remarks>
    public async Task<BudgetStatus> EvaluateAsync(Budget budget, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(budget);
        (DateTimeOffset start, DateTimeOffset end) = budget.PeriodAt(_timeProvider.GetUtcNow());
        decimal spent = await _spend.GetSpendAsync(budget.Scope, start, end, cancellationToken).ConfigureAwait(false);
        var status = new BudgetStatus { Budget = budget, PeriodStart = start, PeriodEnd = end, Spent = spent };
        _metrics?.Record(status);
        await RaiseDueAlertsAsync(status, cancellationToken).ConfigureAwait(false);
        return status;
    }

    /// <summary>Evaluates every budget in <see cref="Budgets"/>, in order.</summary>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>One status per budget.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<IReadOnlyList<BudgetStatus>> EvaluateAllAsync(CancellationToken cancellationToken = default)
    {
        var statuses = new BudgetStatus[_budgets.Length];
        for (int i = 0; i < _budgets.Length; i++)
        {
            statuses[i] = await EvaluateAsync(_budgets[i], cancellationToken).ConfigureAwait(false);
        }

        return statuses;
    }

    /// <summary>
    /// Checks, before a call is made, every enforced budget whose scope matches <paramref name="usage"/> (see
    /// <see cref="BudgetScope.Matches"/>), in the period containing the current time. The call is refused when a
    /// budget is already exceeded or when its spend plus <paramref name="estimatedCost"/> would pass the limit.
    /// Budgets that are not enforced are not read.
    /// </summary>
    /// <param name="usage">The call about to be made (its attribution and request model select the budgets; the token counts may be estimates).</param>
    /// <param name="estimatedCost">The estimated cost of the call in US dollars; 0 or more.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns><see cref="BudgetCheck.Allowed"/>, or a refusal naming the budget with the numbers.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="usage"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="estimatedCost"/> is negative; the message names the value.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>An exception thrown by the <see cref="IBudgetSpend"/> propagates to the caller, who decides whether to fail open or closed.</remarks>
    public async Task<BudgetCheck> CheckAsync(LlmUsage usage, decimal estimatedCost = 0m, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(usage);
        if (estimatedCost < 0m)
        {
            throw new ArgumentOutOfRangeException(nameof(estimatedCost), estimatedCost, $"estimatedCost {Usd(estimatedCost)} must be 0 or more.");
        }

        foreach (Budget budget in _budgets)
        {
            if (!budget.Enforce || !budget.Scope.Matches(usage))
            {
                continue;
            }

            BudgetStatus status = await EvaluateAsync(budget, cancellationToken).ConfigureAwait(false);
            if (status.Spent >= status.Limit || status.Spent + estimatedCost > status.Limit)
            {
                string reason = string.Create(
                    CultureInfo.InvariantCulture,
                    $"budget '{budget.Name}' ({budget.Scope}) has spent {Usd(status.Spent)} of {Usd(status.Limit)} USD until {status.PeriodEnd:O}; the estimated cost is {Usd(estimatedCost)} USD.");
                BudgetLog.CallRefused(_logger, reason);
                return new BudgetCheck { RefusedBy = status, EstimatedCost = estimatedCost, Reason = reason };
            }
        }

        return estimatedCost == 0m ? BudgetCheck.Allowed : new BudgetCheck { EstimatedCost = estimatedCost };
    }

    private static string Usd(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private async Task RaiseDueAlertsAsync(BudgetStatus status, CancellationToken cancellationToken)
    {
        BudgetState state = status.State;
        BudgetAlertKind kind;
        lock (_lock)
        {
            if (_raised.TryGetValue(status.Budget.Name, out var raised) && status.PeriodStart < raised.PeriodStart)
            {
                return; // an evaluation of an earlier period finished late; keep the newer state
            }

            BudgetState already = _raised.TryGetValue(status.Budget.Name, out raised) && raised.PeriodStart == status.PeriodStart ? raised.Raised : BudgetState.Ok;
            _raised[status.Budget.Name] = (status.PeriodStart, state > already ? state : already);
            if (state <= already)
            {
                return;
            }

            kind = state == BudgetState.Exceeded ? BudgetAlertKind.Exceeded : BudgetAlertKind.Warning;
        }

        Budget budget = status.Budget;
        if (kind == BudgetAlertKind.Exceeded)
        {
            BudgetLog.BudgetExceeded(_logger, budget.Name, budget.Scope.ToString(), Usd(status.Spent), Usd(status.Limit), status.PeriodStart, status.PeriodEnd);
        }
        else
        {
            BudgetLog.BudgetWarning(_logger, budget.Name, budget.Scope.ToString(), Usd(status.Spent), Usd(status.Limit), status.PeriodStart, status.PeriodEnd);
        }

        var alert = new BudgetAlert { Kind = kind, Status = status };
        foreach (IBudgetAlertSink sink in _sinks)
        {
            try
            {
                await sink.OnBudgetAlertAsync(alert, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                BudgetLog.SinkFailed(_logger, ex, sink.GetType().FullName ?? sink.GetType().Name, budget.Name);
            }
        }
    }
}
