using System.Text.Json;

namespace Musubi.Monitoring.Costs.Cli.Tests.Commands;

public sealed class ExportCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Export_Csv_WritesEveryRecordWithExactMoney()
    {
        List<CostRecord> records = await LedgerSeed.RecordSampleAsync(_folder.Database);

        CliResult result = await CliRun.RunAsync(["export", "--db", _folder.Database]);

        Assert.Equal(0, result.ExitCode);
        string[] lines = result.Output.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(records.Count + 1, lines.Length);
        Assert.StartsWith("sequence,timestamp,recorded_at,provider,request_model,", lines[0], StringComparison.Ordinal);
        string[] first = lines[1].Split(',');
        Assert.Equal("1", first[0]);
        Assert.Equal("2026-03-10T10:00:00.0000000+00:00", first[1]);
        Assert.Equal("gpt-4", first[4]);
        Assert.Equal("ana", first[15]);
        Assert.Equal("0.03", first[18]);
        string[] unpriced = lines[4].Split(',');
        Assert.Equal("no-such-model", unpriced[4]);
        Assert.Equal(string.Empty, unpriced[18]);
        Assert.Equal("Unpriced", unpriced[25]);
    }

    [Fact]
    public async Task Export_Json_RoundTripsTheLedgersTotals()
    {
        List<CostRecord> records = await LedgerSeed.RecordSampleAsync(_folder.Database);

        CliResult result = await CliRun.RunAsync(["export", "--format", "json", "--db", _folder.Database]);

        Assert.Equal(0, result.ExitCode);
        using JsonDocument json = JsonDocument.Parse(result.Output);
        JsonElement[] items = [.. json.RootElement.EnumerateArray()];
        Assert.Equal(records.Select(r => r.Sequence), items.Select(i => i.GetProperty("sequence").GetInt64()));
        decimal exported = items.Where(i => i.GetProperty("total").ValueKind == JsonValueKind.String)
            .Sum(i => decimal.Parse(i.GetProperty("total").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(records.Sum(r => r.Total ?? 0m), exported);
        Assert.Equal(JsonValueKind.Null, items[3].GetProperty("total").ValueKind);
        Assert.Equal("search", items[0].GetProperty("attribution").GetProperty("feature").GetString());
        Assert.Equal(JsonValueKind.Null, items[4].GetProperty("attribution").ValueKind);
    }

    [Fact]
    public async Task Export_OutputFile_WritesTheFileAndSaysHowMany()
    {
        await LedgerSeed.RecordSampleAsync(_folder.Database);
        string file = _folder.File("out/costs.csv");

        CliResult result = await CliRun.RunAsync(["export", "--output", file, "--db", _folder.Database]);
        CliResult stdout = await CliRun.RunAsync(["export", "--db", _folder.Database]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"Exported 5 records to {file}\n", result.Output);
        Assert.Equal(stdout.Output, await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Export_OutputFileOnATerminal_ShowsProgressAndWritesTheSameFile()
    {
        await LedgerSeed.RecordSampleAsync(_folder.Database);
        string file = _folder.File("costs.json");

        CliResult result = await CliRun.RunAsync(["export", "--format", "json", "--output", file, "--db", _folder.Database], terminal: true);
        CliResult stdout = await CliRun.RunAsync(["export", "--format", "json", "--db", _folder.Database]);

        Assert.Equal(0, result.ExitCode);
        Assert.EndsWith($"Exported 5 records to {file}\n", result.Output, StringComparison.Ordinal);
        Assert.Equal(stdout.Output, await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Export_EmptyLedger_WritesOnlyTheHeader()
    {
        await LedgerSeed.RecordAsync(_folder.Database);

        CliResult csv = await CliRun.RunAsync(["export", "--db", _folder.Database]);
        CliResult json = await CliRun.RunAsync(["export", "--format", "json", "--db", _folder.Database]);

        Assert.Single(csv.Output.Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("[]\n", json.Output);
    }

    [Fact]
    public async Task Export_MissingLedger_ExitsOne()
    {
        CliResult result = await CliRun.RunAsync(["export", "--db", _folder.Database]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("There is no cost ledger at", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_EmptyOutputPath_ExitsOneNamingTheOptionWithoutAStackTrace()
    {
        await LedgerSeed.RecordSampleAsync(_folder.Database);

        CliResult result = await CliRun.RunAsync(["export", "--output", "", "--db", _folder.Database]);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: --output is empty", result.Error, StringComparison.Ordinal);
    }
}
