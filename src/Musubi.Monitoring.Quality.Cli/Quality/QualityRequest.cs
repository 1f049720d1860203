namespace Musubi.Monitoring.Quality.Cli.Quality;

/// <summary>What <c>musubi-validate quality</c> was asked to do.</summary>
/// <param name="Dashboard">Print the dashboard.</param>
/// <param name="Gate">Check the gate and exit 1 when it fails.</param>
/// <param name="Coverage">The coverage reports given; <see langword="null"/> when <c>--coverage</c> was not given.</param>
/// <param name="Tests">The TRX files given; <see langword="null"/> when <c>--tests</c> was not given.</param>
/// <param name="Baseline">The baseline coverage report, if any.</param>
/// <param name="Thresholds">The thresholds-and-gate JSON file, if any.</param>
/// <param name="Format">text, markdown or json.</param>
/// <param name="Ascii">Plain ASCII marks and bars.</param>
internal sealed record QualityRequest(
    bool Dashboard,
    bool Gate,
    IReadOnlyList<string>? Coverage,
    IReadOnlyList<string>? Tests,
    string? Baseline,
    string? Thresholds,
    string Format,
    bool Ascii);
