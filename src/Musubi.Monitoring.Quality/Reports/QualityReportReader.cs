using System.Text;
using System.Xml;

namespace Musubi.Monitoring.Quality;

/// <summary>Reads one coverage or test report file, throwing when it cannot. For several files that should load
/// even when one is bad, use <see cref="QualityReportSet.LoadAsync"/>.</summary>
/// <remarks>
/// The format is recognised from the content (the XML root element, or an lcov record on the first line), never
/// from the file name alone. Files are streamed with <see cref="XmlReader"/> or line by line: memory grows with the
/// number of coverable lines and tests, never with the size of the file. Thread-safe.
/// </remarks>
public static class QualityReportReader
{
    /// <summary>Recognises a report file's format from its content.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The format; <see cref="QualityReportFormat.Unknown"/> for text of no known format.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is <see langword="null"/>, empty or white space.</exception>
    /// <exception cref="QualityReportException">The file is missing, a directory, unreadable, empty, binary or malformed XML; <see cref="QualityReportException.Kind"/> says which.</exception>
    public static QualityReportFormat DetectFormat(string path) => ReportFiles.Detect(path);

    /// <summary>Reads a Cobertura, lcov or OpenCover coverage report.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The file's coverage, with what was tolerated in <see cref="CoverageReport.Warnings"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is <see langword="null"/>, empty or white space.</exception>
    /// <exception cref="QualityReportException">The file is missing, a directory, unreadable, empty, binary, of an unknown format, a test report, or malformed (truncated XML, a bad lcov record); the message names the file and, when known, the line.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static CoverageReport ReadCoverage(string path, CancellationToken cancellationToken = default)
    {
        using FileStream stream = ReportFiles.Open(path);
        QualityReportFormat format = ReportFiles.Detect(stream, path);
        var builder = new CoverageBuilder();
        builder.Sources.Add(path);
        try
        {
            switch (format)
            {
                case QualityReportFormat.Cobertura:
                    using (XmlReader reader = ReportFiles.CreateXmlReader(stream))
                    {
                        CoberturaReader.Read(reader, path, builder, cancellationToken);
                    }

                    break;
                case QualityReportFormat.OpenCover:
                    using (XmlReader reader = ReportFiles.CreateXmlReader(stream))
                    {
                        OpenCoverReader.Read(reader, path, builder, cancellationToken);
                    }

                    break;
                case QualityReportFormat.Lcov:
                    using (var text = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 65536, leaveOpen: true))
                    {
                        LcovReader.Read(text, path, builder, cancellationToken);
                    }

                    break;
                case QualityReportFormat.Trx:
                    throw new QualityReportException(path, QualityReportErrorKind.WrongKind, "is a TRX test report, not a coverage report.");
                default:
                    throw new QualityReportException(path, QualityReportErrorKind.UnknownFormat, "is not a Cobertura, lcov or OpenCover coverage report (its content matches none of them).");
            }
        }
        catch (XmlException ex)
        {
            throw ReportFiles.Malformed(path, ex);
        }
        catch (IOException ex) when (ex is not QualityReportException)
        {
            throw ReportFiles.Unreadable(path, ex);
        }

        return builder.Build();
    }

    /// <summary>Reads a coverage report on the thread pool (see <see cref="ReadCoverage"/>).</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The file's coverage.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is <see langword="null"/>, empty or white space.</exception>
    /// <exception cref="QualityReportException">The file cannot be read as coverage (see <see cref="ReadCoverage"/>).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<CoverageReport> ReadCoverageAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Task.Run(() => ReadCoverage(path, cancellationToken), cancellationToken);
    }

    /// <summary>Reads a TRX test report.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The report's tests.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is <see langword="null"/>, empty or white space.</exception>
    /// <exception cref="QualityReportException">The file is missing, a directory, unreadable, empty, binary, of an unknown format, a coverage report, or truncated XML; the message names the file and, when known, the line.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static TestRunResults ReadTestResults(string path, CancellationToken cancellationToken = default)
    {
        using FileStream stream = ReportFiles.Open(path);
        QualityReportFormat format = ReportFiles.Detect(stream, path);
        if (format is QualityReportFormat.Cobertura or QualityReportFormat.Lcov or QualityReportFormat.OpenCover)
        {
            throw new QualityReportException(path, QualityReportErrorKind.WrongKind, $"is a {format} coverage report, not a TRX test report.");
        }

        if (format != QualityReportFormat.Trx)
        {
            throw new QualityReportException(path, QualityReportErrorKind.UnknownFormat, "is not a TRX test report (its root element is not <TestRun>).");
        }

        try
        {
            using XmlReader reader = ReportFiles.CreateXmlReader(stream);
            return TrxReader.Read(reader, path, cancellationToken);
        }
        catch (XmlException ex)
        {
            throw ReportFiles.Malformed(path, ex);
        }
        catch (IOException ex) when (ex is not QualityReportException)
        {
            throw ReportFiles.Unreadable(path, ex);
        }
    }

    /// <summary>Reads a TRX test report on the thread pool (see <see cref="ReadTestResults"/>).</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The report's tests.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is <see langword="null"/>, empty or white space.</exception>
    /// <exception cref="QualityReportException">The file cannot be read as test results (see <see cref="ReadTestResults"/>).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<TestRunResults> ReadTestResultsAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Task.Run(() => ReadTestResults(path, cancellationToken), cancellationToken);
    }
}
