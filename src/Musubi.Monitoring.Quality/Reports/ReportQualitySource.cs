namespace Musubi.Monitoring.Quality;

/// <summary>An <see cref="IQualitySource"/> that reads coverage and TRX report files each time it collects.</summary>
/// <remarks>
/// Unreadable reports do not fail a collection: they become warnings of the snapshot, and the metrics they would
/// have fed are UNKNOWN when no other report feeds them. The snapshot's timestamp comes from the
/// <see cref="TimeProvider"/>. Thread-safe: each collection reads the files afresh.
/// </remarks>
public sealed class ReportQualitySource : IQualitySource
{
    private readonly string[]? _coverage;
    private readonly string[]? _tests;
    private readonly string? _root;
    private readonly string? _baseline;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a source over given report files.</summary>
    /// <param name="coveragePaths">The coverage reports (Cobertura, lcov, OpenCover).</param>
    /// <param name="testPaths">The TRX files.</param>
    /// <param name="timeProvider">The clock of the snapshots' timestamps.</param>
    /// <param name="baselineCoveragePath">A baseline coverage report for the new-code metrics; without one they are left out.</param>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="baselineCoveragePath"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A path is empty or white space.</exception>
    public ReportQualitySource(IEnumerable<string> coveragePaths, IEnumerable<string> testPaths, TimeProvider timeProvider, string? baselineCoveragePath = null)
    {
        ArgumentNullException.ThrowIfNull(coveragePaths);
        ArgumentNullException.ThrowIfNull(testPaths);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _coverage = [.. coveragePaths];
        _tests = [.. testPaths];
        foreach (string path in _coverage.Concat(_tests))
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                throw new ArgumentException("A report path is null, empty or white space.", nameof(coveragePaths));
            }
        }

        if (baselineCoveragePath is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(baselineCoveragePath);
        }

        _baseline = baselineCoveragePath;
        _timeProvider = timeProvider;
    }

    private ReportQualitySource(string root, TimeProvider timeProvider, string? baselineCoveragePath)
    {
        _root = root;
        _baseline = baselineCoveragePath;
        _timeProvider = timeProvider;
    }

    /// <summary>Creates a source that finds the reports under a folder at each collection (see <see cref="QualityReportDiscovery"/>).</summary>
    /// <param name="root">The folder searched.</param>
    /// <param name="timeProvider">The clock of the snapshots' timestamps.</param>
    /// <param name="baselineCoveragePath">A baseline coverage report for the new-code metrics.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="timeProvider"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="root"/> or <paramref name="baselineCoveragePath"/> is empty or white space.</exception>
    public static ReportQualitySource ForDirectory(string root, TimeProvider timeProvider, string? baselineCoveragePath = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (baselineCoveragePath is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(baselineCoveragePath);
        }

        return new ReportQualitySource(root, timeProvider, baselineCoveragePath);
    }

    /// <summary>Reads the reports and measures them.</summary>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<QualitySnapshot> CollectAsync(CancellationToken cancellationToken = default)
    {
        var extraWarnings = new List<string>();
        IReadOnlyList<string> coverage, tests;
        if (_root is not null)
        {
            try
            {
                QualityReportPaths found = QualityReportDiscovery.Find(_root);
                (coverage, tests) = (found.Coverage, found.Tests);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                extraWarnings.Add($"Reports under '{_root}' could not be searched: {ex.Message}");
                (coverage, tests) = ([], []);
            }
        }
        else
        {
            (coverage, tests) = (_coverage!, _tests!);
        }

        QualityReportSet set = await QualityReportSet.LoadAsync(coverage, tests, cancellationToken).ConfigureAwait(false);
        CoverageReport? baseline = null;
        if (_baseline is not null)
        {
            try
            {
                baseline = await QualityReportReader.ReadCoverageAsync(_baseline, cancellationToken).ConfigureAwait(false);
            }
            catch (QualityReportException ex)
            {
                extraWarnings.Add("Baseline " + ex.Message);
            }
        }

        QualitySnapshot snapshot = set.ToSnapshot(_timeProvider.GetUtcNow(), baseline);
        if (_baseline is not null && baseline is null)
        {
            snapshot = new QualitySnapshot(
                snapshot.Timestamp,
                [
                    .. snapshot.Measurements,
                    QualityMeasurement.Unknown(QualityMetrics.NewLineCoverage, QualityUnit.Percent, NoBaseline),
                    QualityMeasurement.Unknown(QualityMetrics.NewBranchCoverage, QualityUnit.Percent, NoBaseline),
                ],
                snapshot.Sources,
                [.. snapshot.Warnings, .. extraWarnings]);
        }
        else if (extraWarnings.Count > 0)
        {
            snapshot = new QualitySnapshot(snapshot.Timestamp, snapshot.Measurements, snapshot.Sources, [.. snapshot.Warnings, .. extraWarnings]);
        }

        return snapshot;
    }

    /// <summary>The reason of the new-code metrics when the baseline report could not be read.</summary>
    public const string NoBaseline = "baseline report unreadable";
}
