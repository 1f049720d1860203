namespace Musubi.Monitoring.Costs;

/// <summary>
/// Keeps budget definitions and which budget alerts were raised, so budgets can be managed while the host runs (for
/// example by the <c>musubi-costs</c> tool) and an alert raised once in a period is not raised again after a restart.
/// </summary>
/// <remarks>
/// <para>
/// Budgets are keyed by <see cref="Budget.Name"/> (ordinal, case-sensitive) and read back equal to what was stored,
/// every field included. Alert state is keyed by budget name too, and is kept for budgets that are not stored here (a
/// <see cref="BudgetMonitor"/> also keeps the state of the budgets it was given in code).
/// </para>
/// <para>Implementations are safe to call from many threads at once. <see cref="InMemoryBudgetStore"/> keeps everything in
/// memory; the SQLite store (<c>UseSqlite</c>) keeps it in a file shared by processes.</para>
/// </remarks>
public interface IBudgetStore
{
    /// <summary>Reads every stored budget, in ordinal order of name.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The budgets; empty when none is stored.</returns>
    /// <exception cref="InvalidDataException">A stored budget cannot be read (for example an unknown period); the message names the budget.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<IReadOnlyList<Budget>> GetBudgetsAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads the budget named <paramref name="name"/>.</summary>
    /// <param name="name">The budget's name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The budget, or <see langword="null"/> when none has that name.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    /// <exception cref="InvalidDataException">The stored budget cannot be read; the message names it.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<Budget?> GetBudgetAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Adds <paramref name="budget"/>, or replaces the stored budget of the same name. The budget's alert state is kept.</summary>
    /// <param name="budget">The budget.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="true"/> when the budget was added, <see langword="false"/> when it replaced one.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="budget"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<bool> UpsertBudgetAsync(Budget budget, CancellationToken cancellationToken = default);

    /// <summary>Deletes the budget named <paramref name="name"/> and its alert state.</summary>
    /// <param name="name">The budget's name.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="true"/> when a budget was deleted, <see langword="false"/> when none had that name.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<bool> DeleteBudgetAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Reads which alerts of the budget named <paramref name="budgetName"/> were raised in its latest evaluated period.</summary>
    /// <param name="budgetName">The budget's name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The state, or <see langword="null"/> when no alert was raised for that budget.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="budgetName"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="budgetName"/> is empty or white space.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<BudgetAlertState?> GetAlertStateAsync(string budgetName, CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomically records that <paramref name="kind"/> is raised for the budget's period starting at
    /// <paramref name="periodStart"/>, unless it must not be raised: it was raised already in that period (by this or
    /// any other process sharing the store), a warning is asked for after the exceeded alert of that period, or a later
    /// period is already recorded. A later period than the stored one starts again with only <paramref name="kind"/> raised.
    /// </summary>
    /// <param name="budgetName">The budget's name.</param>
    /// <param name="periodStart">The start of the evaluated period.</param>
    /// <param name="kind">The alert about to be raised.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="true"/> when the caller should raise the alert, <see langword="false"/> when it must not.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="budgetName"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="budgetName"/> is empty or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined value; the message names it.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<bool> TryMarkAlertRaisedAsync(string budgetName, DateTimeOffset periodStart, BudgetAlertKind kind, CancellationToken cancellationToken = default);
}
