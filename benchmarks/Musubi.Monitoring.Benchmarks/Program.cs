using System.Globalization;
using BenchmarkDotNet.Running;
using Musubi.Monitoring.Benchmarks;

// dotnet run -c Release -- --filter '*' --exporters GitHub
// One scenario: --filter '*Scrape*'. Cross-checks on a busy machine: scaling-check [rounds], span-check [rounds].
// See benchmarks/results/README.md for the last committed run.
if (args is ["scaling-check", ..])
{
    ScalingCheck.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 15);
    return;
}

if (args is ["span-check", ..])
{
    SpanCheck.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 15);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(BenchmarkConfig).Assembly).Run(args, BenchmarkConfig.Create(args));
