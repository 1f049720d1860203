namespace Musubi.Monitoring.Costs;

/// <summary>Prices usage with a <see cref="PricingCatalog"/> and appends it to an <see cref="ICostLedger"/>, in one call.</summary>
/// <remarks>
/// Thread-safe when the ledger is (both built-in ledgers are). Registered as a singleton by <c>AddCosts</c>, where each
/// record also asks for a budget evaluation soon (see <see cref="CostOptions.EvaluateBudgetsAfterRecord"/>).
/// With an <see cref="InMemoryCostLedger"/> a recording completes synchronously and allocates only the ledger entry:
/// the model's resolution is cached by the catalogue and the record is built straight from the cost figures.
/// </remarks>
public sealed class CostTracker
{
    private readonly ICostLedger _ledger;
    private readonly InMemoryCostLedger? _memory;
    private readonly PricingCatalog _catalog;
    private readonly Action? _recorded;
    private readonly UnpricedUsageAlerts? _unpriced;

    /// <summary>Initializes a tracker.</summary>
    /// <param name="ledger">Where records go.</param>
    /// <param name="catalog">The prices.</param>
    /// <exception cref="ArgumentNullException"><paramref name="ledger"/> or <paramref name="catalog"/> is <see langword="null"/>.</exception>
    public CostTracker(ICostLedger ledger, PricingCatalog catalog)
        : this(ledger, catalog, null)
    {
    }

    /// <summary>Initializes a tracker that calls <paramref name="recorded"/> after each append (it must be cheap and never throw).</summary>
    internal CostTracker(ICostLedger ledger, PricingCatalog catalog, Action? recorded, UnpricedUsageAlerts? unpriced = null)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(catalog);
        _ledger = ledger;
        _memory = ledger as InMemoryCostLedger;
        _catalog = catalog;
        _recorded = recorded;
        _unpriced = unpriced;
    }

    /// <summary>Calculates the cost of <paramref name="usage"/> and appends it to the ledger. Usage with no price is recorded as unpriced.</summary>
    /// <param name="usage">The usage.</param>
    /// <param name="cancellationToken">Cancels the append.</param>
    /// <returns>
    /// The stored record. A <see cref="ValueTask{TResult}"/>: await it once (or read it once when it has completed);
    /// with an <see cref="InMemoryCostLedger"/> it is already complete and allocates nothing of its own.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="usage"/> is <see langword="null"/>.</exception>
    /// <exception cref="OverflowException">The cost exceeds <see cref="decimal.MaxValue"/> (see <see cref="CostCalculator.Calculate"/>).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public ValueTask<CostRecord> RecordAsync(LlmUsage usage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(usage);
        if (_memory is not null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            CostParts cost = CostCalculator.Compute(usage, _catalog);
            CostRecord record = _memory.Append(usage, in cost);
            if (cost.Resolution.Rule == ResolutionRule.Unpriced)
            {
                _unpriced?.Report(usage, cost.Resolution.UnpricedReason);
            }

            _recorded?.Invoke();
            return new ValueTask<CostRecord>(record);
        }

        CostBreakdown breakdown = CostCalculator.Calculate(usage, _catalog);
        Task<CostRecord> append = _ledger.AppendAsync(usage, breakdown, cancellationToken);
        UnpricedUsageAlerts? unpriced = breakdown.IsUnpriced ? _unpriced : null;
        return new ValueTask<CostRecord>(_recorded is null && unpriced is null ? append : ThenSignalAsync(append, _recorded, unpriced, usage, breakdown.Resolution.UnpricedReason));

        static async Task<CostRecord> ThenSignalAsync(Task<CostRecord> append, Action? recorded, UnpricedUsageAlerts? unpriced, LlmUsage usage, string? reason)
        {
            CostRecord record = await append.ConfigureAwait(false);
            unpriced?.Report(usage, reason);
            recorded?.Invoke();
            return record;
        }
    }
}
