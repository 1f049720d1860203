namespace Musubi.Monitoring.Quality;

/// <summary>
/// Several coverage and test reports loaded together: the readable ones merged, the unreadable ones listed in
/// <see cref="Errors"/> without stopping the others.
/// </summary>
/// <remarks>Immutable and safe to share.</remarks>
public sealed class QualityReportSet
{
    private QualityReportSet(CoverageReport? coverage, TestRunResults? tests, QualityReportError[] errors)
    {
        Coverage = coverage;
        Tests = tests;
        Errors = errors;
        var warnings = new List<string>();
        var sources = new List<string>();
        if (coverage is not null)
        {
            warnings.AddRange(coverage.Warnings);
            sources.AddRange(coverage.Sources);
        }

        if (tests is not null)
        {
            warnings.AddRange(tests.Warnings);
            sources.AddRange(tests.Sources);
        }

        Warnings = [.. warnings];
        Sources = [.. sources];
    }

    /// <summary>The merged coverage of every readable coverage report; <see langword="null"/> when none was read.</summary>
    public CoverageReport? Coverage { get; }

    /// <summary>The tests of every readable test report; <see langword="null"/> when none was read.</summary>
    public TestRunResults? Tests { get; }

    /// <summary>The reports that could not be read, each naming its file.</summary>
    public IReadOnlyList<QualityReportError> Errors { get; }

    /// <summary>What was tolerated while reading the readable reports, each naming its file.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The report files that were read.</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <summary>Loads coverage reports (Cobertura, lcov, OpenCover) and TRX test reports; a file that cannot be read is an error in <see cref="Errors"/>, not an exception.</summary>
    /// <param name="coveragePaths">The coverage report files.</param>
    /// <param name="testPaths">The TRX files.</param>
    /// <param name="cancellationToken">Stops loading.</param>
    /// <returns>The loaded set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="coveragePaths"/> or <paramref name="testPaths"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<QualityReportSet> LoadAsync(IEnumerable<string> coveragePaths, IEnumerable<string> testPaths, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(coveragePaths);
        ArgumentNullException.ThrowIfNull(testPaths);
        string[] coverageFiles = [.. coveragePaths];
        string[] testFiles = [.. testPaths];
        var errors = new List<QualityReportError>();
        var coverage = new List<CoverageReport>();
        var tests = new List<TestRunResults>();
        foreach (string path in coverageFiles)
        {
            if (await TryAsync(path, QualityReportReader.ReadCoverage, errors, cancellationToken).ConfigureAwait(false) is { } report)
            {
                coverage.Add(report);
            }
        }

        foreach (string path in testFiles)
        {
            if (await TryAsync(path, QualityReportReader.ReadTestResults, errors, cancellationToken).ConfigureAwait(false) is { } result)
            {
                tests.Add(result);
            }
        }

        return new QualityReportSet(
            coverage.Count == 0 ? null : coverage.Count == 1 ? coverage[0] : CoverageReport.Merge(coverage),
            tests.Count == 0 ? null : tests.Count == 1 ? tests[0] : TestRunResults.Merge(tests),
            [.. errors]);
    }

    /// <summary>Every measurement of the set (see <see cref="QualityReportMeasurements"/>).</summary>
    /// <param name="baseline">A baseline coverage report for the new-code metrics; without one they are left out.</param>
    /// <returns>Coverage, test and (with a baseline) new-code measurements.</returns>
    public IReadOnlyList<QualityMeasurement> Measure(CoverageReport? baseline = null)
    {
        var all = new List<QualityMeasurement>(8);
        all.AddRange(QualityReportMeasurements.Coverage(Coverage));
        all.AddRange(QualityReportMeasurements.Tests(Tests));
        if (baseline is not null)
        {
            all.AddRange(QualityReportMeasurements.NewCode(Coverage, baseline));
        }

        return all;
    }

    /// <summary>A snapshot of <see cref="Measure"/>, with the read files as sources and the errors and warnings as warnings.</summary>
    /// <param name="timestamp">When the snapshot was taken.</param>
    /// <param name="baseline">A baseline coverage report for the new-code metrics.</param>
    /// <returns>The snapshot.</returns>
    public QualitySnapshot ToSnapshot(DateTimeOffset timestamp, CoverageReport? baseline = null)
    {
        var warnings = new List<string>(Errors.Count + Warnings.Count);
        foreach (QualityReportError error in Errors)
        {
            warnings.Add(error.Message);
        }

        warnings.AddRange(Warnings);
        return new QualitySnapshot(timestamp, Measure(baseline), Sources, warnings);
    }

    private static async Task<T?> TryAsync<T>(string path, Func<string, CancellationToken, T> read, List<QualityReportError> errors, CancellationToken cancellationToken)
        where T : class
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            errors.Add(new QualityReportError(path ?? string.Empty, QualityReportErrorKind.NotFound, "A report path is empty."));
            return null;
        }

        try
        {
            return await Task.Run(() => read(path, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (QualityReportException ex)
        {
            errors.Add(ex.ToError());
            return null;
        }
    }
}
