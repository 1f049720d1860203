namespace Musubi.Monitoring.Costs;

/// <summary>Which ledger records to total or list. Every filter left <see langword="null"/> matches everything.</summary>
/// <remarks>
/// Immutable; safe to share. Text filters compare ordinally (case-sensitive). <see cref="Model"/> matches
/// <see cref="CostRecord.Model"/> (the response model when known, else the request model). Times filter on
/// <see cref="LlmUsage.Timestamp"/>: <see cref="From"/> inclusive, <see cref="To"/> exclusive.
/// </remarks>
public sealed record CostQuery
{
    /// <summary>The largest <see cref="Take"/> allowed.</summary>
    public const int MaxTake = 10_000;

    /// <summary>Gets the first instant included.</summary>
    /// <value>The default is <see langword="null"/> (no lower bound).</value>
    public DateTimeOffset? From { get; init; }

    /// <summary>Gets the first instant excluded.</summary>
    /// <value>The default is <see langword="null"/> (no upper bound).</value>
    public DateTimeOffset? To { get; init; }

    /// <summary>Gets the provider to match.</summary>
    /// <value>The default is <see langword="null"/> (any).</value>
    public string? Provider { get; init; }

    /// <summary>Gets the model to match against <see cref="CostRecord.Model"/>.</summary>
    /// <value>The default is <see langword="null"/> (any).</value>
    public string? Model { get; init; }

    /// <summary>Gets the operation to match.</summary>
    /// <value>The default is <see langword="null"/> (any).</value>
    public string? Operation { get; init; }

    /// <summary>Gets the attributed user to match.</summary>
    /// <value>The default is <see langword="null"/> (any).</value>
    public string? User { get; init; }

    /// <summary>Gets the attributed feature to match.</summary>
    /// <value>The default is <see langword="null"/> (any).</value>
    public string? Feature { get; init; }

    /// <summary>Gets the attributed tenant to match.</summary>
    /// <value>The default is <see langword="null"/> (any).</value>
    public string? Tenant { get; init; }

    /// <summary>Gets how many matching records <see cref="ICostLedger.ListAsync"/> skips (totals ignore it).</summary>
    /// <value>The default is 0.</value>
    public int Skip { get; init; }

    /// <summary>Gets how many records <see cref="ICostLedger.ListAsync"/> returns at most (totals ignore it).</summary>
    /// <value>The default is 100; at most <see cref="MaxTake"/>.</value>
    public int Take { get; init; } = 100;

    /// <summary>Checks the paging values.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="Skip"/> is negative, or <see cref="Take"/> is not from 1 to <see cref="MaxTake"/>.</exception>
    /// <exception cref="ArgumentException"><see cref="To"/> is before <see cref="From"/>.</exception>
    public void Validate()
    {
        if (Skip < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Skip), Skip, $"Skip is {Skip}; it must be zero or more.");
        }

        if (Take is < 1 or > MaxTake)
        {
            throw new ArgumentOutOfRangeException(nameof(Take), Take, $"Take is {Take}; it must be from 1 to {MaxTake}.");
        }

        if (From is { } from && To is { } to && to < from)
        {
            throw new ArgumentException($"To ({to:O}) is before From ({from:O}); the range must not be reversed.", nameof(To));
        }
    }

    internal bool Matches(CostRecord record)
    {
        LlmUsage usage = record.Usage;
        return (From is not { } from || usage.Timestamp >= from)
            && (To is not { } to || usage.Timestamp < to)
            && Same(Provider, usage.Provider)
            && Same(Model, record.Model)
            && Same(Operation, usage.Operation)
            && Same(User, usage.Attribution?.User)
            && Same(Feature, usage.Attribution?.Feature)
            && Same(Tenant, usage.Attribution?.Tenant);
    }

    private static bool Same(string? filter, string? value) => filter is null || string.Equals(filter, value, StringComparison.Ordinal);
}
