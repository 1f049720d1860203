namespace Musubi.Monitoring.Quality;

/// <summary>The report formats Musubi.Monitoring reads, recognised from the content, not the file name.</summary>
public enum QualityReportFormat
{
    /// <summary>Not a format Musubi.Monitoring reads.</summary>
    Unknown = 0,

    /// <summary>Cobertura XML (root <c>&lt;coverage&gt;</c>), as written by coverlet, ReportGenerator, coverage.py, gcovr.</summary>
    Cobertura = 1,

    /// <summary>lcov tracefile (first record line <c>TN:</c> or <c>SF:</c>).</summary>
    Lcov = 2,

    /// <summary>OpenCover XML (root <c>&lt;CoverageSession&gt;</c>).</summary>
    OpenCover = 3,

    /// <summary>Visual Studio TRX test results (root <c>&lt;TestRun&gt;</c>).</summary>
    Trx = 4,
}
