using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Musubi.Monitoring.Costs.Tests;

/// <summary>
/// Reports. The golden files under <c>Golden/</c> are compared byte for byte; to accept a deliberate change, run the
/// tests once with <c>MUSUBI_UPDATE_GOLDEN=1</c>, then read the diff of the files before committing them.
/// </summary>
public sealed class CostReportTests
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 11, 15, 30, 0, TimeSpan.Zero); // a Wednesday

    internal static CostRecord Record(long sequence, string model, DateTimeOffset at, decimal? total, string? user = null, string provider = "openai",
        long input = 1000, long output = 100) => new()
    {
        Sequence = sequence,
        Usage = new LlmUsage(provider, model, at, input, output) { Attribution = user is null ? null : new UsageAttribution { User = user } },
        Total = total,
        Input = total ?? 0m,
        ResolutionRule = total is null ? ResolutionRule.Unpriced : ResolutionRule.ExactKey,
        ResolutionKey = total is null ? null : model,
        RecordedAt = at,
    };

    internal static CostRecord[] Sample() =>
    [
        Record(1, "gpt-4o", s_now.AddHours(-1), 0.0123456789012m, user: "ana"),
        Record(2, "gpt-4o", s_now.AddHours(-2), 0.000000000001m, user: "ana"),
        Record(3, "claude-sonnet-4-20250514", s_now.AddHours(-3), 1.5m, user: "bo | \"the, boss\"\n<b>*x*</b>", provider: "anthropic"),
        Record(4, "my-local-model", s_now.AddHours(-4), null, user: null, provider: "ollama", input: 50, output: 5),
        Record(5, "gpt-4o", s_now.AddDays(-3), 9m, user: "ana"), // Sunday 8 March: the previous ISO week
        Record(6, "gpt-4o", s_now.AddDays(-20), 100m, user: "ana"), // February
    ];

    private static CostReport DailyByUser() => CostReport.Build(Sample(), CostReportPeriod.Daily, CostReportGrouping.User, TimeZoneInfo.Utc, s_now);

    [Theory]
    [InlineData("text", "daily-by-user.txt")]
    [InlineData("markdown", "daily-by-user.md")]
    [InlineData("json", "daily-by-user.json")]
    [InlineData("csv", "daily-by-user.csv")]
    public void Writers_DailyByUserWithHostileTextAndUnpriced_MatchGoldenFileByteForByte(string format, string file)
    {
        CostReport report = DailyByUser();
        string text = format switch
        {
            "text" => report.ToText(),
            "markdown" => report.ToMarkdown(),
            "json" => report.ToJson(),
            _ => report.ToCsv(),
        };
        byte[] actual = Encoding.UTF8.GetBytes(text);

        if (Environment.GetEnvironmentVariable("MUSUBI_UPDATE_GOLDEN") == "1")
        {
            string path = Path.Combine(SourceDirectory(), "Golden", file);
            File.WriteAllBytes(path, actual);
            Assert.Fail($"Wrote {path}; review its diff, then run the tests again without MUSUBI_UPDATE_GOLDEN.");
        }

        byte[] expected = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Reports", "Golden", file));
        if (!expected.AsSpan().SequenceEqual(actual))
        {
            Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(actual));
            Assert.Fail($"The bytes of {file} differ although the text is equal (encoding or BOM).");
        }
    }

    [Fact]
    public void Build_Periods_KeepOnlyRecordsInThePeriodContainingNow()
    {
        CostRecord[] records = Sample();

        Assert.Equal(4, CostReport.Build(records, CostReportPeriod.Daily, CostReportGrouping.Model, TimeZoneInfo.Utc, s_now).Total.Count);
        Assert.Equal(4, CostReport.Build(records, CostReportPeriod.Weekly, CostReportGrouping.Model, TimeZoneInfo.Utc, s_now).Total.Count);
        Assert.Equal(5, CostReport.Build(records, CostReportPeriod.Monthly, CostReportGrouping.Model, TimeZoneInfo.Utc, s_now).Total.Count);
        Assert.Equal(6, CostReport.Build(records, CostReportPeriod.Session, CostReportGrouping.Model, TimeZoneInfo.Utc, s_now).Total.Count);
        CostReport weekly = CostReport.Build(records, CostReportPeriod.Weekly, CostReportGrouping.Model, TimeZoneInfo.Utc, s_now);
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 0, 0, 0, TimeSpan.Zero), weekly.From);
        Assert.Equal(new DateTimeOffset(2026, 3, 16, 0, 0, 0, TimeSpan.Zero), weekly.To);
    }

    [Fact]
    public void Build_TimeZoneAheadOfUtc_DayBoundaryIsLocalMidnight()
    {
        TimeZoneInfo tokyo = TimeZoneInfo.CreateCustomTimeZone("Test/Plus9", TimeSpan.FromHours(9), "Plus9", "Plus9");
        CostReport report = CostReport.Build(Sample(), CostReportPeriod.Daily, CostReportGrouping.Model, tokyo, s_now);

        // 15:30 UTC is 00:30 on 12 March in UTC+9; the day started at 15:00 UTC, after every sample record.
        Assert.Equal(new DateTimeOffset(2026, 3, 12, 0, 0, 0, TimeSpan.FromHours(9)), report.From);
        Assert.Equal(0, report.Total.Count);
    }

    [Fact]
    public void Build_TotalsAndRows_AreExactSumsOfRecords()
    {
        CostReport report = CostReport.Build(Sample(), CostReportPeriod.Monthly, CostReportGrouping.Provider, TimeZoneInfo.Utc, s_now);

        Assert.Equal(9m + 1.5m + 0.0123456789012m + 0.000000000001m, report.Total.Total);
        Assert.Equal(report.Total.Total, report.Rows.Sum(r => r.Total));
        CostReportRow ollama = Assert.Single(report.Rows, r => r.Key == "ollama");
        Assert.True(ollama.IsUnpriced);
    }

    [Fact]
    public void ToJson_Totals_AreExactDecimalStringsAndUnpricedIsNull()
    {
        using JsonDocument json = JsonDocument.Parse(DailyByUser().ToJson());

        Assert.Equal("0.0123456789022", json.RootElement.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("key").GetString() == "ana").GetProperty("total").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("key").GetString() == "(none)").GetProperty("total").ValueKind);
    }

    [Fact]
    public void Writers_UnderAnotherCulture_AreUnchanged()
    {
        CostReport report = DailyByUser();
        string[] invariant = [report.ToText(), report.ToMarkdown(), report.ToJson(), report.ToCsv()];
        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            string[] german = [report.ToText(), report.ToMarkdown(), report.ToJson(), report.ToCsv()];
            Assert.Equal(invariant, german);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void ToMarkdown_HostileUser_CannotAddTableColumnsOrLines()
    {
        string[] lines = DailyByUser().ToMarkdown().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        foreach (string line in lines.Where(l => l.StartsWith('|')))
        {
            Assert.Equal(7, line.Replace("\\|", string.Empty, StringComparison.Ordinal).Count(c => c == '|'));
        }

        Assert.DoesNotContain("<b>", string.Join('\n', lines), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NullArguments_ThrowArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => CostReport.Build(null!, CostReportPeriod.Daily, CostReportGrouping.User, TimeZoneInfo.Utc, s_now));
        Assert.Throws<ArgumentNullException>(() => CostReport.Build(Sample(), CostReportPeriod.Daily, CostReportGrouping.User, null!, s_now));
        Assert.Throws<ArgumentOutOfRangeException>(() => CostReport.Build(Sample(), (CostReportPeriod)9, CostReportGrouping.User, TimeZoneInfo.Utc, s_now));
        Assert.Throws<ArgumentOutOfRangeException>(() => CostReport.Build(Sample(), CostReportPeriod.Daily, (CostReportGrouping)9, TimeZoneInfo.Utc, s_now));
    }

    [Fact]
    public async Task BuildAsync_FromLedger_MatchesBuildFromRecords()
    {
        var ledger = new InMemoryCostLedger();
        foreach (CostRecord record in Sample())
        {
            await ledger.AppendAsync(record.Usage, CostCalculator.Calculate(record.Usage, PricingCatalog.CreateDefault()));
        }

        CostReport fromLedger = await CostReport.BuildAsync(ledger, CostReportPeriod.Monthly, CostReportGrouping.Model, TimeZoneInfo.Utc, s_now);
        CostTotal total = await ledger.GetTotalAsync(new CostQuery { From = fromLedger.From, To = fromLedger.To });

        Assert.Equal(5, fromLedger.Total.Count);
        Assert.Equal(total.Total, fromLedger.Total.Total);
    }

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
