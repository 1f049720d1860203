using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring.Sqlite;

namespace Musubi.Monitoring.Costs.Cli.Tests.Commands;

public sealed class ReportCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("session", "model", "json")]
    [InlineData("daily", "model", "json")]
    [InlineData("weekly", "user", "csv")]
    [InlineData("monthly", "provider", "markdown")]
    [InlineData("daily", "feature", "text")]
    public async Task Report_LedgerTheLibraryWrote_PrintsTheLibrarysReport(string period, string by, string format)
    {
        await LedgerSeed.RecordSampleAsync(_folder.Database);
        CostReport expected = await CostReport.BuildAsync(
            new SqliteCostLedger($"Data Source={_folder.Database}"), Enum.Parse<CostReportPeriod>(period, true), Enum.Parse<CostReportGrouping>(by, true),
            TimeZoneInfo.Utc, CliRun.s_now, TestContext.Current.CancellationToken);

        CliResult result = await CliRun.RunAsync(["report", "--period", period, "--by", by, "--format", format, "--db", _folder.Database]);

        Assert.Equal(0, result.ExitCode);
        string text = format switch
        {
            "json" => expected.ToJson(),
            "csv" => expected.ToCsv(),
            "markdown" => expected.ToMarkdown(),
            _ => expected.ToText(),
        };
        Assert.Equal(text, result.Output);
        Assert.Equal(string.Empty, result.Error);
    }

    [Fact]
    public async Task Report_DailyJson_HasExactTotalsAndUnpricedNeverZero()
    {
        await LedgerSeed.RecordSampleAsync(_folder.Database);

        CliResult result = await CliRun.RunAsync(["report", "--period", "daily", "--format", "csv", "--db", _folder.Database]);

        // gpt-4 1000 input = 0.03; gpt-4o 1200*2.5e-6 + 300*1e-5 = 0.006; claude sonnet 4 3000*3e-6 + 500*1.5e-5 = 0.0165.
        string[] lines = result.Output.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("gpt-4,1,0,1000,0,0.03000", lines);
        Assert.Contains("no-such-model,1,1,10,10,unpriced", lines);
        Assert.Equal("Total,4,1,5210,810,0.05250000", lines[^1]);
    }

    [Fact]
    public async Task Report_TimeZone_UsesThatZonesCalendarDay()
    {
        // At 2026-03-10T16:00Z it is already 01:00 on 11 March in Tokyo: that day began at 2026-03-10T15:00Z, after every
        // seeded record, while the UTC day holds four of them.
        await LedgerSeed.RecordSampleAsync(_folder.Database);
        var time = new FakeTimeProvider(CliRun.s_now.AddHours(4));

        CliResult tokyo = await CliRun.RunAsync(["report", "--period", "daily", "--tz", "Asia/Tokyo", "--format", "json", "--db", _folder.Database], time: time);
        CliResult utc = await CliRun.RunAsync(["report", "--period", "daily", "--format", "json", "--db", _folder.Database], time: time);

        Assert.Equal(0, tokyo.ExitCode);
        using JsonDocument tokyoJson = JsonDocument.Parse(tokyo.Output);
        using JsonDocument utcJson = JsonDocument.Parse(utc.Output);
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 15, 0, 0, TimeSpan.Zero), DateTimeOffset.Parse(tokyoJson.RootElement.GetProperty("from").GetString()!, CultureInfo.InvariantCulture));
        Assert.Equal("Asia/Tokyo", tokyoJson.RootElement.GetProperty("timeZone").GetString());
        Assert.Equal(0, tokyoJson.RootElement.GetProperty("total").GetProperty("requests").GetInt32());
        Assert.Equal(4, utcJson.RootElement.GetProperty("total").GetProperty("requests").GetInt32());
    }

    [Fact]
    public async Task Report_UnknownPeriod_ExitsOneNamingValue()
    {
        CliResult result = await CliRun.RunAsync(["report", "--period", "yearly", "--db", _folder.Database]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'yearly'", result.Error, StringComparison.Ordinal);
        Assert.Contains("'monthly'", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.Database));
    }

    [Fact]
    public async Task Report_UnknownFormatOrGrouping_ExitsOneNamingValue()
    {
        CliResult format = await CliRun.RunAsync(["report", "--format", "xml", "--db", _folder.Database]);
        CliResult by = await CliRun.RunAsync(["report", "--by", "tenant", "--db", _folder.Database]);

        Assert.Equal(1, format.ExitCode);
        Assert.Contains("'xml'", format.Error, StringComparison.Ordinal);
        Assert.Equal(1, by.ExitCode);
        Assert.Contains("'tenant'", by.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_UnknownTimeZone_ExitsOneNamingIt()
    {
        await LedgerSeed.RecordSampleAsync(_folder.Database);

        CliResult result = await CliRun.RunAsync(["report", "--time-zone", "Mars/Olympus", "--db", _folder.Database]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: --time-zone 'Mars/Olympus' is not a time zone known to this system", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_MissingLedger_ExitsOneNamingPathAndCreatesNothing()
    {
        CliResult result = await CliRun.RunAsync(["report", "--db", _folder.Database]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"There is no cost ledger at '{_folder.Database}' (from --db)", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.Database));
    }

    [Fact]
    public async Task Report_OtherAppsSqliteFile_ExitsOneAndAddsNoTables()
    {
        string other = _folder.File("other-app.db");
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={other}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)";
            command.ExecuteNonQuery();
        }

        CliResult result = await CliRun.RunAsync(["report", "--db", other]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"'{other}' (from --db) is not a Musubi cost ledger", result.Error, StringComparison.Ordinal);
        Assert.Equal(["customers"], Tables(other));
    }

    [Fact]
    public async Task Report_EmptyFile_ExitsOneAndWritesNothingIntoIt()
    {
        string empty = _folder.File("empty.db");
        await File.WriteAllBytesAsync(empty, [], TestContext.Current.CancellationToken);

        CliResult result = await CliRun.RunAsync(["report", "--db", empty]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is not a Musubi cost ledger", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, new FileInfo(empty).Length);
    }

    private static List<string> Tables(string path)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    [Fact]
    public async Task Report_LedgerFromEnvironmentVariable_IsRead()
    {
        await LedgerSeed.RecordSampleAsync(_folder.Database);
        var variables = new Dictionary<string, string> { ["MUSUBI_COSTS_DB"] = _folder.Database };

        CliResult result = await CliRun.RunAsync(["report", "--format", "csv"], variables: variables);

        Assert.Equal(0, result.ExitCode);
        Assert.EndsWith("Total,5,1,5210,1810,0.11250000\r\n", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_DbOptionWinsOverEnvironmentVariable()
    {
        await LedgerSeed.RecordSampleAsync(_folder.Database);
        var variables = new Dictionary<string, string> { ["MUSUBI_COSTS_DB"] = _folder.File("other.db") };

        CliResult result = await CliRun.RunAsync(["report", "--format", "csv", "--db", _folder.Database], variables: variables);

        Assert.Equal(0, result.ExitCode);
        Assert.False(File.Exists(_folder.File("other.db")));
    }

    [Fact]
    public async Task Report_NotASqliteFile_ExitsOneNamingTheLedger()
    {
        await File.WriteAllTextAsync(_folder.Database, "this is not a database, just text that is long enough to fill a SQLite header page.", TestContext.Current.CancellationToken);

        CliResult result = await CliRun.RunAsync(["report", "--db", _folder.Database]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"error: '{_folder.Database}' (from --db) is not a SQLite database", result.Error, StringComparison.Ordinal);
    }
}
