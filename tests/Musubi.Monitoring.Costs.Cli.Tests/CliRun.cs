using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Musubi.Monitoring.Costs.Cli.Tests;

/// <summary>Runs <c>musubi-costs</c> in-process over string writers, with a <see cref="FakeTimeProvider"/> and a fixed environment.</summary>
internal static class CliRun
{
    public static readonly DateTimeOffset s_now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    public static async Task<CliResult> RunAsync(
        string[] args, bool terminal = false, string input = "", Dictionary<string, string>? variables = null, FakeTimeProvider? time = null)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var environment = new CliEnvironment(
            output, error, new StringReader(input), outputIsTerminal: terminal, inputIsTerminal: terminal,
            name => variables is not null && variables.TryGetValue(name, out string? value) ? value : null);
        int exitCode = await CostsCli.RunAsync(args, environment, time ?? new FakeTimeProvider(s_now), TestContext.Current.CancellationToken);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }
}

/// <summary>What a run printed and returned.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Error);

/// <summary>A fresh temporary folder, deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "musubi-costs-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Database => File("musubi.db");

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        // Pooled connections keep the database open; let them go before deleting it.
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a closing connection; the OS cleans the temp folder.
        }
    }
}
