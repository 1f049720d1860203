using Musubi.Monitoring.Sqlite.Tests.Incidents;

namespace Musubi.Monitoring.Sqlite.Tests;

internal static class Program
{
    public static int Main(string[] args) =>
        args is [KilledWriterTests.WriterArgument, string path]
            ? KilledWriterTests.RunWriter(path)
            : Xunit.Runner.InProc.SystemConsole.ConsoleRunner.Run(args).GetAwaiter().GetResult();
}
