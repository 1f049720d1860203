namespace Musubi.Monitoring.Costs;

/// <summary>One page of ledger records, in append order, and how many records matched in all.</summary>
/// <param name="Items">The records on this page, oldest sequence first.</param>
/// <param name="Total">How many records matched the query, ignoring paging.</param>
/// <remarks>Immutable; safe to share.</remarks>
public sealed record CostPage(IReadOnlyList<CostRecord> Items, int Total);
