using System.Collections.Frozen;

namespace Musubi.Monitoring.Releases;

/// <summary>
/// Summary statistics over releases, DORA-style. Computed by <see cref="Compute"/> over the releases given and a period.
/// </summary>
/// <remarks>
/// <para>Thread-safe (immutable). The formulas:</para>
/// <list type="bullet">
/// <item><see cref="Total"/>, <see cref="ByStatus"/>, <see cref="ByType"/>: counts over every release given (every
/// status and type appears, zero included).</item>
/// <item><see cref="Deployments"/>: releases given whose <see cref="Release.DeployedAt"/> (first time in production) is
/// in the period.</item>
/// <item><see cref="DeploymentsPerWeek"/> = <see cref="Deployments"/> ÷ (period length in days ÷ 7).</item>
/// <item><see cref="RollbackRate"/> = releases given that were ever rolled back ÷ releases given that ever reached canary
/// or production; <see langword="null"/> when none did.</item>
/// <item><see cref="ChangeFailureRate"/> = (deployments that were later rolled back + deployments of
/// <see cref="ReleaseType.Hotfix"/> releases, each a remedy for an earlier failed change) ÷ <see cref="Deployments"/>;
/// <see langword="null"/> when there are none.</item>
/// <item>Lead time of a deployment = <see cref="Release.DeployedAt"/> − <see cref="Release.CreatedAt"/> (planning to
/// production). <see cref="MeanLeadTime"/> is the mean, <see cref="MedianLeadTime"/> the median (the mean of the two
/// middle values for an even count); <see langword="null"/> when there are no deployments.</item>
/// </list>
/// <para>Ratios are <see cref="decimal"/>, rounded to 4 decimal places.</para>
/// </remarks>
public sealed record ReleaseStatistics
{
    /// <summary>Gets how many releases were given.</summary>
    public int Total { get; init; }

    /// <summary>Gets how many releases are in each status.</summary>
    public required IReadOnlyDictionary<ReleaseStatus, int> ByStatus { get; init; }

    /// <summary>Gets how many releases are of each type.</summary>
    public required IReadOnlyDictionary<ReleaseType, int> ByType { get; init; }

    /// <summary>Gets how many releases first reached production in the period.</summary>
    public int Deployments { get; init; }

    /// <summary>Gets the deployments per week in the period.</summary>
    public decimal DeploymentsPerWeek { get; init; }

    /// <summary>Gets the share of releases that reached canary or production and were rolled back, or <see langword="null"/>.</summary>
    public decimal? RollbackRate { get; init; }

    /// <summary>Gets the share of deployments that failed (rolled back, or needed a hotfix), or <see langword="null"/>.</summary>
    public decimal? ChangeFailureRate { get; init; }

    /// <summary>Gets the mean lead time from planning to production of the deployments, or <see langword="null"/>.</summary>
    public TimeSpan? MeanLeadTime { get; init; }

    /// <summary>Gets the median lead time from planning to production of the deployments, or <see langword="null"/>.</summary>
    public TimeSpan? MedianLeadTime { get; init; }

    /// <summary>Computes the statistics.</summary>
    /// <param name="releases">The releases.</param>
    /// <param name="from">The start of the period (inclusive).</param>
    /// <param name="to">The end of the period (exclusive).</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="releases"/> or one of them is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The period ends at or before it starts (the message names both times).</exception>
    public static ReleaseStatistics Compute(IEnumerable<Release> releases, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(releases);
        if (to <= from)
        {
            throw new ArgumentException(FormattableString.Invariant($"The period ends ({to:O}) at or before it starts ({from:O})."), nameof(to));
        }

        Release[] all = [.. releases];
        if (all.Any(r => r is null))
        {
            throw new ArgumentNullException(nameof(releases), "A release in the list is null.");
        }

        Release[] deployed = [.. all.Where(r => r.DeployedAt is { } at && at >= from && at < to)];
        int reachedUsers = all.Count(r => r.EnteredAt(ReleaseStatus.Canary) is not null || r.DeployedAt is not null);
        int rolledBack = all.Count(r => r.RolledBackAt is not null);
        int failed = deployed.Count(r => r.RolledBackAt is { } back && back >= r.DeployedAt!.Value || r.Type == ReleaseType.Hotfix);
        long[] leadTicks = [.. deployed.Select(r => (r.DeployedAt!.Value - r.CreatedAt).Ticks).Order()];
        decimal weeks = (decimal)(to - from).Ticks / TimeSpan.FromDays(7).Ticks;
        return new ReleaseStatistics
        {
            Total = all.Length,
            ByStatus = Enum.GetValues<ReleaseStatus>().ToFrozenDictionary(s => s, s => all.Count(r => r.Status == s)),
            ByType = Enum.GetValues<ReleaseType>().ToFrozenDictionary(t => t, t => all.Count(r => r.Type == t)),
            Deployments = deployed.Length,
            DeploymentsPerWeek = Math.Round(deployed.Length / weeks, 4),
            RollbackRate = reachedUsers == 0 ? null : Math.Round((decimal)rolledBack / reachedUsers, 4),
            ChangeFailureRate = deployed.Length == 0 ? null : Math.Round((decimal)failed / deployed.Length, 4),
            MeanLeadTime = leadTicks.Length == 0 ? null : TimeSpan.FromTicks((long)leadTicks.Average(t => (decimal)t)),
            MedianLeadTime = leadTicks.Length == 0 ? null
                : TimeSpan.FromTicks(leadTicks.Length % 2 == 1
                    ? leadTicks[leadTicks.Length / 2]
                    : leadTicks[(leadTicks.Length / 2) - 1] + ((leadTicks[leadTicks.Length / 2] - leadTicks[(leadTicks.Length / 2) - 1]) / 2)),
        };
    }
}
