namespace Musubi.Monitoring.Costs;

/// <summary>One group in a <see cref="CostReport"/>, or its grand total.</summary>
/// <remarks>Immutable; safe to share.</remarks>
public sealed record CostReportRow
{
    /// <summary>Gets the group's key (a provider, model, operation, user or feature), <c>(none)</c> when missing, or <c>Total</c>.</summary>
    public required string Key { get; init; }

    /// <summary>Gets how many records the group holds.</summary>
    public long Count { get; init; }

    /// <summary>Gets how many of them were unpriced.</summary>
    public long UnpricedCount { get; init; }

    /// <summary>Gets the exact sum, in US dollars, of the priced records' totals.</summary>
    public decimal Total { get; init; }

    /// <summary>Gets the sum of input tokens.</summary>
    public long InputTokens { get; init; }

    /// <summary>Gets the sum of output tokens.</summary>
    public long OutputTokens { get; init; }

    /// <summary>Gets a value indicating whether every record in the group was unpriced (so its cost is unknown, not zero).</summary>
    public bool IsUnpriced => Count > 0 && UnpricedCount == Count;
}
