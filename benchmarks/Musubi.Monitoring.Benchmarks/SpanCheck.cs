using System.Diagnostics;
using System.Globalization;

namespace Musubi.Monitoring.Benchmarks;

/// <summary>
/// A cross-check of <see cref="SpanBenchmarks"/> for a noisy machine: BenchmarkDotNet runs each case in its own
/// process, minutes apart, so a noisy neighbour lands on one case and not another. This check runs every case in
/// one process, interleaved round by round, and reports each case's median round and its ratio to the bare source.
/// Run: <c>dotnet run -c Release -- span-check [rounds]</c>.
/// </summary>
internal static class SpanCheck
{
    private const int SpansPerRound = 2_000_000;

    public static void Run(int rounds)
    {
        var cases = new List<(string Name, SpanBenchmarks Fixture, Action Body, List<double> NsPerSpan)>();
        void Add(string name, Action<SpanBenchmarks> setup, Action<SpanBenchmarks> body)
        {
            var fixture = new SpanBenchmarks();
            setup(fixture);
            cases.Add((name, fixture, () => body(fixture), []));
        }

        Add(nameof(SpanBenchmarks.BareActivitySource), b => b.SetupBare(), b => b.BareActivitySource());
        Add(nameof(SpanBenchmarks.Musubi), b => b.SetupMusubi(), b => b.Musubi());
        Add(nameof(SpanBenchmarks.MusubiBatchedExporter), b => b.SetupMusubiBatched(), b => b.MusubiBatchedExporter());
        Add(nameof(SpanBenchmarks.OpenTelemetrySdk), b => b.SetupOpenTelemetry(), b => b.OpenTelemetrySdk());
        Add(nameof(SpanBenchmarks.OpenTelemetrySdkBatchedExporter), b => b.SetupOpenTelemetryBatched(), b => b.OpenTelemetrySdkBatchedExporter());

        for (int round = -1; round < rounds; round++)
        {
            foreach ((_, _, Action body, List<double> nsPerSpan) in cases)
            {
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < SpansPerRound; i++)
                {
                    body();
                }

                double ns = Stopwatch.GetElapsedTime(start).TotalNanoseconds / SpansPerRound;
                if (round >= 0)
                {
                    nsPerSpan.Add(ns); // round -1 is the warm-up
                }
            }
        }

        double bare = Median(cases[0].NsPerSpan);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rounds} interleaved rounds of {SpansPerRound:N0} spans; median ns per span, ratio to the bare source:"));
        foreach ((string name, SpanBenchmarks fixture, _, List<double> nsPerSpan) in cases)
        {
            double median = Median(nsPerSpan);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-34} {median,8:0.0} ns  {median / bare,5:0.00}"));
            fixture.Cleanup();
        }
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
