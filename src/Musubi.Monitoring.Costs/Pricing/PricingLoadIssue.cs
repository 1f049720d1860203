namespace Musubi.Monitoring.Costs;

/// <summary>A price entry that was skipped while loading, and why.</summary>
/// <param name="ModelKey">The key of the skipped entry.</param>
/// <param name="Reason">What was wrong with it, naming the field and its text.</param>
public sealed record PricingLoadIssue(string ModelKey, string Reason);
