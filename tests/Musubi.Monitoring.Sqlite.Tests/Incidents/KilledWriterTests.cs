using System.Diagnostics;
using System.Globalization;
using System.Text;
using Musubi.Monitoring.Incidents;

namespace Musubi.Monitoring.Sqlite.Tests.Incidents;

/// <summary>
/// A child process (this test executable, started with <see cref="WriterArgument"/>) writes incidents with long
/// timelines as fast as it can and is killed mid-write; the database must open, pass an integrity check, and hold only
/// whole incidents: each one's content is derived from its id, so every field can be checked.
/// </summary>
public sealed class KilledWriterTests : IDisposable
{
    public const string WriterArgument = "--sqlite-writer";

    private static readonly DateTimeOffset s_t0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    /// <summary>The child process: resumes after what is stored, then adds incident i and saves it again with a final note, forever (stops itself after a minute).</summary>
    public static int RunWriter(string path)
    {
        var store = new SqliteIncidentStore($"Data Source={path}");
        long stopAt = Environment.TickCount64 + 60_000;
        int i = store.ListAsync(new IncidentQuery { Take = 1 }).GetAwaiter().GetResult().Total;
        if (i > 0 && store.GetAsync(Id(i - 1)).GetAwaiter().GetResult() is { Version: 1 } unfinished)
        {
            // Killed between the add and the update of the last one: finish it.
            store.UpdateAsync(Final(unfinished, i - 1)).GetAwaiter().GetResult();
        }

        for (; Environment.TickCount64 < stopAt; i++)
        {
            Incident added = store.AddAsync(Expected(i)).GetAwaiter().GetResult();
            store.UpdateAsync(Final(added, i)).GetAwaiter().GetResult();
            Console.Out.WriteLine("committed " + i.ToString(CultureInfo.InvariantCulture));
            Console.Out.Flush();
        }

        return 0;
    }

    [Fact]
    public async Task Database_WriterKilledMidWrite_OpensWithOnlyWholeIncidents()
    {
        // Three rounds: each writer resumes where the killed one stopped (finishing an incident left between its two
        // saves), so the file is reopened after a kill by a writer as well as by the reader below.
        int committed = -1;
        int stored = 0;
        for (int round = 0; round < 3; round++)
        {
            committed = await RunAndKillAsync(killAfter: stored + 4);
            stored = Convert.ToInt32(_database.Scalar("SELECT COUNT(*) FROM incidents;"), CultureInfo.InvariantCulture);
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"round {round}: killed after {committed} reported committed; {stored} stored, {_database.Scalar("SELECT COUNT(*) FROM incidents WHERE version = 1;")} between saves");
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Assert.Equal("ok", _database.Scalar("PRAGMA integrity_check;"));
        var store = new SqliteIncidentStore(_database.ConnectionString);
        IncidentPage page = await store.ListAsync(new IncidentQuery { Take = 1000 }, TestContext.Current.CancellationToken);
        Assert.Equal(page.Total, Convert.ToInt32(_database.Scalar("SELECT COUNT(*) FROM incidents;"), CultureInfo.InvariantCulture));
        Assert.True(page.Total > committed, $"{page.Total} incidents stored, but the writer reported {committed} committed.");
        for (int i = 0; i < page.Total; i++)
        {
            Incident? incident = await store.GetAsync(Id(i), TestContext.Current.CancellationToken);
            Assert.True(incident is not null, $"Incident {Id(i)} is missing from {page.Total}.");

            // Only the last one can be between its two saves.
            Incident expected = incident.Version == 1 && i == page.Total - 1 ? Expected(i) with { Version = 1 } : Final(Expected(i) with { Version = 1 }, i) with { Version = 2 };
            IncidentSamples.AssertSame(expected, incident);
        }
    }

    private static string Id(int i) => "W-" + i.ToString("D6", CultureInfo.InvariantCulture);

    private static Incident Expected(int i)
    {
        string id = Id(i);
        Incident incident = Incident.Open(id, "Written by the child process " + id, (Severity)(1 + (i % 5)), s_t0.AddMinutes(i), "writer");
        int notes = 20 + (i % 30);
        for (int k = 0; k < notes; k++)
        {
            incident = incident.WithNote("writer", s_t0.AddMinutes(i).AddSeconds(k), Note(id, k));
        }

        return incident;
    }

    private static Incident Final(Incident incident, int i) =>
        incident.WithNote("writer", s_t0.AddMinutes(i).AddHours(1), "final " + Id(i));

    private static string Note(string id, int k) =>
        new StringBuilder().Append(id).Append(" note ").Append(k.ToString(CultureInfo.InvariantCulture)).Append(' ').Append('x', 4000).ToString();

    /// <summary>Starts the writer, waits until it reports <paramref name="killAfter"/> committed, kills it, and returns the last one it reported.</summary>
    private async Task<int> RunAndKillAsync(int killAfter)
    {
        string host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnet && File.Exists(dotnet) ? dotnet : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(KilledWriterTests).Assembly.Location);
        start.ArgumentList.Add(WriterArgument);
        start.ArgumentList.Add(_database.Path);
        var errors = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(s_wait);
        Assert.True(process.Start());
        process.BeginErrorReadLine();
        int last = -1;
        try
        {
            while (last < killAfter)
            {
                string? line = await process.StandardOutput.ReadLineAsync(timeout.Token);
                if (line is null)
                {
                    await process.WaitForExitAsync(timeout.Token);
                    lock (errors)
                    {
                        Assert.Fail($"The writer exited ({process.ExitCode}) after reporting {last} committed: {errors}");
                    }
                }

                if (line.StartsWith("committed ", StringComparison.Ordinal))
                {
                    last = int.Parse(line["committed ".Length..], CultureInfo.InvariantCulture);
                }
            }
        }
        finally
        {
            // Killed while it writes the next incident.
            process.Kill(entireProcessTree: true);
            using var exit = new CancellationTokenSource(s_wait);
            await process.WaitForExitAsync(exit.Token);
        }

        return last;
    }
}
