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
/// Budgets: the ones given to the constructor (from code or <c>AddCosts</c> options) plus, with an
/// <see cref="IBudgetStore"/>, the ones stored there (for example by the <c>musubi-costs</c> tool). Stored budgets are
/// read again at the start of every <see cref="EvaluateAllAsync"/> (and on the first <see cref="CheckAsync"/>), so
/// budgets added, changed or deleted in the store take effect at the next evaluation. A stored budget with the name of a
/// constructor budget is ignored, with a logged warning: the configured one wins. When the store cannot be read, the
/// failure is logged and the budgets last read are used.
/// </para>
/// <para>
/// Alerts: each evaluation compares the spend in the current period with the budget's warning share and limit.
/// A <see cref="BudgetAlertKind.Warning"/> alert is raised the first time the share is reached in a period and an
/// <see cref="BudgetAlertKind.Exceeded"/> alert the first time the limit is reached; a period that goes straight
/// past the limit raises only the exceeded alert. Both are re-armed when the period changes. Which alerts were raised
/// is kept in memory and claimed in the store (<see cref="IBudgetStore.TryMarkAlertRaisedAsync"/>), so with a durable
/// store an alert raised once in a period is not raised again after a restart, nor by another process sharing the
/// store. If the store fails while claiming, the failure is logged and the alert is raised (a repeated alert is better
/// than a lost one); without a store the state is kept in memory only.
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
    private readonly Budget[] _configured;
    private readonly IBudgetStore? _store;
    private readonly IBudgetSpend _spend;
    private readonly TimeProvider _timeProvider;
    private readonly IBudgetAlertSink[] _sinks;
    private readonly ILogger _logger;
    private readonly BudgetMetrics? _metrics;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (DateTimeOffset PeriodStart, BudgetState Raised)> _raised = new(StringComparer.Ordinal);
    private readonly HashSet<string> _shadowed = new(StringComparer.Ordinal);
    private volatile Budget[] _budgets;
    private volatile bool _storeRead;

    /// <summary>Creates a monitor for <paramref name="budgets"/> and, with a <paramref name="store"/>, the budgets stored there.</summary>
    /// <param name="budgets">The configured budgets; their names must be unique (ordinal).</param>
    /// <param name="spend">Where spend is read.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="sinks">Who receives alerts; none when <see langword="null"/>.</param>
    /// <param name="logger">Where alerts and refusals are logged; nowhere when <see langword="null"/>.</param>
    /// <param name="meter">Where the spend and limit gauges are created; none when <see langword="null"/>.</param>
    /// <param name="store">Where more budgets are read and raised alerts are kept; when <see langword="null"/>, only
    /// <paramref name="budgets"/> are monitored and raised alerts are kept in memory.</param>
    /// <exception cref="ArgumentNullException"><paramref name="budgets"/>, one of them, <paramref name="spend"/> or a sink is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Two budgets have the same name; the message names it.</exception>
    public BudgetMonitor(
        IEnumerable<Budget> budgets,
        IBudgetSpend spend,
        TimeProvider? timeProvider = null,
        IEnumerable<IBudgetAlertSink>? sinks = null,
        ILogger? logger = null,
        Meter? meter = null,
        IBudgetStore? store = null)
    {
        ArgumentNullException.ThrowIfNull(budgets);
        ArgumentNullException.ThrowIfNull(spend);
        _configured = [.. budgets];
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Budget budget in _configured)
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

        _budgets = _configured;
        _store = store;
        _spend = spend;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _metrics = meter is null ? null : new BudgetMetrics(meter);
    }

    /// <summary>The monitored budgets: the configured ones, then the stored ones as last read (in name order).</summary>
    public IReadOnlyList<Budget> Budgets => _budgets;

    /// <summary>Reads the stored budgets again, so <see cref="Budgets"/> shows the store's current definitions.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The monitored budgets after the read.</returns>
    /// <exception cref="InvalidDataException">A stored budget cannot be read (from the store; the message names it).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>Without a store this returns the configured budgets. Failures of the store propagate; <see cref="EvaluateAllAsync"/> and <see cref="CheckAsync"/> log them instead.</remarks>
    public async Task<IReadOnlyList<Budget>> RefreshBudgetsAsync(CancellationToken cancellationToken = default)
    {
        if (_store is null)
        {
            return _budgets;
        }

        IReadOnlyList<Budget> stored = await _store.GetBudgetsAsync(cancellationToken).ConfigureAwait(false);
        var configuredNames = new HashSet<string>(_configured.Select(static b => b.Name), StringComparer.Ordinal);
        var merged = new List<Budget>(_configured.Length + stored.Count);
        merged.AddRange(_configured);
        var shadowed = new List<string>();
        foreach (Budget budget in stored)
        {
            if (configuredNames.Contains(budget.Name))
            {
                shadowed.Add(budget.Name);
            }
            else
            {
                merged.Add(budget);
            }
        }

        Budget[] budgets = [.. merged];
        lock (_lock)
        {
            foreach (string name in shadowed)
            {
                if (_shadowed.Add(name))
                {
                    BudgetLog.StoredBudgetShadowed(_logger, name);
                }
            }

            _shadowed.IntersectWith(shadowed);
            _budgets = budgets;
            _storeRead = true;
        }

        _metrics?.Retain(budgets);
        return budgets;
    }

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

    /// <summary>Reads the stored budgets again (see <see cref="RefreshBudgetsAsync"/>), then evaluates every budget in <see cref="Budgets"/>, in order.</summary>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>One status per budget.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>A store that cannot be read is logged and the budgets last read are evaluated. An exception thrown by the <see cref="IBudgetSpend"/> propagates.</remarks>
    public async Task<IReadOnlyList<BudgetStatus>> EvaluateAllAsync(CancellationToken cancellationToken = default)
    {
        await TryRefreshBudgetsAsync(cancellationToken).ConfigureAwait(false);
        Budget[] budgets = _budgets;
        var statuses = new BudgetStatus[budgets.Length];
        for (int i = 0; i < budgets.Length; i++)
        {
            statuses[i] = await EvaluateAsync(budgets[i], cancellationToken).ConfigureAwait(false);
        }

        return statuses;
    }

    /// <summary>
    /// Checks, before a call is made, every enforced budget whose scope matches <paramref name="usage"/> (see
    /// <see cref="BudgetScope.Matches"/>), in the period containing the current time. The call is refused when a
    /// budget is already exceeded or when its spend plus <paramref name="estimatedCost"/> would pass the limit.
    /// Budgets that are not enforced are not read. Stored budgets are read on the first check; later checks use the ones
    /// last read (every <see cref="EvaluateAllAsync"/> reads them again), so the check does not read the store per call.
    /// If that first read fails it is logged once and the check goes on with the configured budgets. Spend is what the
    /// ledger holds now: calls in flight reserve nothing, so calls checked at the same moment can together overshoot a
    /// limit by what they cost.
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

        if (_store is not null && !_storeRead)
        {
            await TryRefreshBudgetsAsync(cancellationToken).ConfigureAwait(false);
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

    private async Task TryRefreshBudgetsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RefreshBudgetsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Counted as read, so CheckAsync does not retry (and log) on every call; EvaluateAllAsync retries each time.
            _storeRead = true;
            BudgetLog.StoreReadFailed(_logger, ex, _budgets.Length);
        }
    }

    private async Task<bool> ClaimInStoreAsync(BudgetStatus status, BudgetAlertKind kind, CancellationToken cancellationToken)
    {
        if (_store is null)
        {
            return true;
        }

        try
        {
            return await _store.TryMarkAlertRaisedAsync(status.Budget.Name, status.PeriodStart, kind, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            BudgetLog.StoreClaimFailed(_logger, ex, kind.ToString(), status.Budget.Name);
            return true;
        }
    }

    private async Task RaiseDueAlertsAsync(BudgetStatus status, CancellationToken cancellationToken)
    {
        BudgetState state = status.State;
        BudgetAlertKind kind;
        (DateTimeOffset PeriodStart, BudgetState Raised)? before;
        (DateTimeOffset PeriodStart, BudgetState Raised) after;
        lock (_lock)
        {
            if (_raised.TryGetValue(status.Budget.Name, out var raised) && status.PeriodStart < raised.PeriodStart)
            {
                return; // an evaluation of an earlier period finished late; keep the newer state
            }

            before = _raised.TryGetValue(status.Budget.Name, out raised) ? raised : null;
            BudgetState already = before is { } b && b.PeriodStart == status.PeriodStart ? b.Raised : BudgetState.Ok;
            after = (status.PeriodStart, state > already ? state : already);
            _raised[status.Budget.Name] = after;
            if (state <= already)
            {
                return;
            }

            kind = state == BudgetState.Exceeded ? BudgetAlertKind.Exceeded : BudgetAlertKind.Warning;
        }

        bool claimed;
        try
        {
            claimed = await ClaimInStoreAsync(status, kind, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Not raised: forget it here too, so the next evaluation tries again instead of losing the alert.
            lock (_lock)
            {
                if (_raised.TryGetValue(status.Budget.Name, out var current) && current == after)
                {
                    if (before is { } previous)
                    {
                        _raised[status.Budget.Name] = previous;
                    }
                    else
                    {
                        _raised.Remove(status.Budget.Name);
                    }
                }
            }

            throw;
        }

        if (!claimed)
        {
            return; // raised before this process started, or by another process sharing the store
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
