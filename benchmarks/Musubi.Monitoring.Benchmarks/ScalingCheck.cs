using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace Musubi.Monitoring.Benchmarks;

/// <summary>
/// A cross-check of <see cref="CounterScalingBenchmarks"/> for a busy machine: BenchmarkDotNet runs the
/// 1-thread and 2-thread cases in separate processes minutes apart, so load from other processes on a 2-core
/// box lands on one and not the other. This check runs every case in one process, interleaved round by round
/// with the same <see cref="ThreadGang"/>, and reports the best and median round.
/// Run: <c>dotnet run -c Release -- scaling-check [rounds]</c>.
/// </summary>
internal static class ScalingCheck
{
    public static void Run(int rounds)
    {
        using var musubi = new MusubiFixture();
        using var openTelemetry = new OpenTelemetryFixture();
        var cases = new List<(string Library, SeriesMode Series, int Threads, ThreadGang Gang, List<double> NsPerAdd)>();
        foreach ((string library, Meter meter) in new[] { ("Musubi", musubi.Meter), ("OpenTelemetry", openTelemetry.Meter) })
        {
            foreach (SeriesMode series in Enum.GetValues<SeriesMode>())
            {
                foreach (int threads in new[] { 1, 2 })
                {
                    Counter<long> counter = meter.CreateCounter<long>(
                        string.Create(CultureInfo.InvariantCulture, $"bench.scaling.{series}.{threads}"));
                    ThreadGang gang = CounterScalingBenchmarks.CreateGang(counter, threads, series);
                    gang.Run(); // warm-up: JIT and first contention
                    cases.Add((library, series, threads, gang, []));
                }
            }
        }

        for (int round = 0; round < rounds; round++)
        {
            foreach ((_, _, _, ThreadGang gang, List<double> nsPerAdd) in cases)
            {
                long start = Stopwatch.GetTimestamp();
                gang.Run();
                nsPerAdd.Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / CounterScalingBenchmarks.TotalOperations);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{rounds} interleaved rounds of {CounterScalingBenchmarks.TotalOperations:N0} tagged adds per case; ns per add, best and median round."));
        Console.WriteLine("| Library | Series | 1 thread best | 2 threads best | Scaling (best) | 1 thread median | 2 threads median | Scaling (median) |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var group in cases.GroupBy(c => (c.Library, c.Series)))
        {
            List<double> one = [.. group.Single(c => c.Threads == 1).NsPerAdd.Order()];
            List<double> two = [.. group.Single(c => c.Threads == 2).NsPerAdd.Order()];
            double oneMedian = one[one.Count / 2];
            double twoMedian = two[two.Count / 2];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {group.Key.Library} | {group.Key.Series} | {one[0]:F2} | {two[0]:F2} | {one[0] / two[0]:F2}x | {oneMedian:F2} | {twoMedian:F2} | {oneMedian / twoMedian:F2}x |"));
        }

        foreach (var c in cases)
        {
            c.Gang.Dispose();
        }
    }
}
