using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace Musubi.Monitoring.Benchmarks;

/// <summary>The job every scenario runs with unless the command line names one (<c>--job short</c> and so on).</summary>
internal static class BenchmarkConfig
{
    /// <summary>
    /// BenchmarkDotNet's default job with a fixed number of iterations instead of its open-ended count: the
    /// whole suite runs in about ten minutes on the project's 2-core machines, and twenty 500 ms iterations
    /// keep the error of the nanosecond cases within a few percent.
    /// </summary>
    public static Job Job { get; } = Job.Default
        .WithWarmupCount(6)
        .WithIterationCount(20)
        .WithId("Musubi");

    public static IConfig Create(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        bool jobOnCommandLine = args.Any(a => a is "--job" or "-j");
        return jobOnCommandLine ? DefaultConfig.Instance : DefaultConfig.Instance.AddJob(Job.AsDefault());
    }
}
