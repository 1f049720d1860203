namespace Musubi.Monitoring.Quality;

/// <summary>Report files found under a folder by <see cref="QualityReportDiscovery.Find"/>.</summary>
/// <param name="Coverage">The coverage reports, in ordinal order.</param>
/// <param name="Tests">The TRX files, in ordinal order.</param>
public sealed record QualityReportPaths(IReadOnlyList<string> Coverage, IReadOnlyList<string> Tests);
