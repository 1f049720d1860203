using System.Text.Json;

namespace Musubi.Monitoring.Costs.Cli.Tests.Commands;

public sealed class EstimateCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Estimate_Gpt4With1000InputTokens_IsExactlyThreeCents()
    {
        CliResult result = await CliRun.RunAsync(["estimate", "--model", "gpt-4", "--tokens", "1000"]);

        Assert.Equal(0, result.ExitCode);
        string total = Assert.Single(result.Output.Split('\n'), l => l.StartsWith("total", StringComparison.Ordinal));
        Assert.EndsWith(" $0.03", total, StringComparison.Ordinal);
        Assert.DoesNotContain("0.0300", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("0.030000000000000002", result.Output, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Error);
    }

    [Fact]
    public async Task Estimate_Gpt4With1000OutputTokens_IsExactlySixCents()
    {
        CliResult result = await CliRun.RunAsync(["estimate", "--model", "gpt-4", "--output", "1000", "--format", "json"]);

        Assert.Equal(0, result.ExitCode);
        using JsonDocument json = JsonDocument.Parse(result.Output);
        Assert.Equal("0.06", json.RootElement.GetProperty("total").GetString());
        Assert.Equal("0.06", json.RootElement.GetProperty("output").GetString());
        Assert.Equal("0", json.RootElement.GetProperty("input").GetString());
        Assert.Equal("ExactKey", json.RootElement.GetProperty("rule").GetString());
    }

    [Fact]
    public async Task Estimate_InputAliasAndCachedTokens_PricesCachedReadsAtTheCacheRate()
    {
        // gpt-4o: 600 uncached at 2.5e-6 = 0.0015, 400 cached at 1.25e-6 = 0.0005, 100 output at 1e-5 = 0.001.
        CliResult result = await CliRun.RunAsync(["estimate", "-m", "gpt-4o", "--input", "1000", "--cached", "400", "--output", "100", "--format", "json"]);

        Assert.Equal(0, result.ExitCode);
        using JsonDocument json = JsonDocument.Parse(result.Output);
        Assert.Equal("0.0015", json.RootElement.GetProperty("input").GetString());
        Assert.Equal("0.0005", json.RootElement.GetProperty("cachedRead").GetString());
        Assert.Equal("0.001", json.RootElement.GetProperty("output").GetString());
        Assert.Equal("0.003", json.RootElement.GetProperty("total").GetString());
    }

    [Fact]
    public async Task Estimate_ClaudeCacheWrite_IsTheIssuesExactFigure()
    {
        // claude-3-7-sonnet-20250219: 3 uncached at 3e-6, 12,304 written to the cache at 3.75e-6, 550 output at 1.5e-5.
        CliResult result = await CliRun.RunAsync(
            ["estimate", "-m", "claude-3-7-sonnet-20250219", "--input", "12307", "--cache-write", "12304", "--output", "550", "--format", "json"]);

        Assert.Equal(0, result.ExitCode);
        using JsonDocument json = JsonDocument.Parse(result.Output);
        Assert.Equal("0.04614", json.RootElement.GetProperty("cacheWrite5Minute").GetString());
        Assert.Equal(12304, json.RootElement.GetProperty("cacheWrite5MinuteTokens").GetInt64());
        Assert.Equal("0.054399", json.RootElement.GetProperty("total").GetString());
    }

    [Fact]
    public async Task Estimate_CacheWriteText_ShowsTheCacheWriteRow()
    {
        CliResult result = await CliRun.RunAsync(["estimate", "-m", "claude-3-7-sonnet-20250219", "--input", "12307", "--cache-write", "12304", "--output", "550"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"\ninput \(uncached\)\s+3\s+\$0\.000009\n", result.Output);
        Assert.Matches(@"\ncache write \(5 min\)\s+12304\s+\$0\.04614\n", result.Output);
        Assert.Matches(@"\ntotal\s+12857\s+\$0\.054399\n", result.Output);
        Assert.DoesNotContain("cache write (1 h)", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Estimate_CacheReadsAndWritesAboveInput_Exits1NamingThem()
    {
        CliResult result = await CliRun.RunAsync(["estimate", "-m", "gpt-4o", "--input", "100", "--cached", "60", "--cache-write", "30", "--cache-write-1h", "20"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--cached (60) + --cache-write (30) + --cache-write-1h (20) = 110 is more than --tokens/--input (100)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Estimate_ReasoningAboveOutput_Exits1NamingIt()
    {
        CliResult result = await CliRun.RunAsync(["estimate", "-m", "gpt-4o", "--input", "100", "--output", "10", "--reasoning", "11"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--reasoning (11) is more than --output (10)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Estimate_DatedModelName_ResolvesByStrippingTheDate()
    {
        CliResult result = await CliRun.RunAsync(["estimate", "--model", "gpt-4o-2024-08-06", "--tokens", "1000000"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("priced as 'gpt-4o' (DateSuffixStripped)", result.Output, StringComparison.Ordinal);
        Assert.Contains(" $2.5\n", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--tokens")]
    [InlineData("--input")]
    [InlineData("--output")]
    [InlineData("--cached")]
    public async Task Estimate_NegativeTokenCount_ExitsOneNamingOptionAndValue(string option)
    {
        CliResult result = await CliRun.RunAsync(["estimate", "--model", "gpt-4", option, "-5"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{option} is -5; a token count must be zero or more.", result.Error, StringComparison.Ordinal);
        Assert.Contains("musubi-costs estimate --help", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Estimate_TokenCountNotANumber_ExitsOneNamingValue()
    {
        CliResult result = await CliRun.RunAsync(["estimate", "--model", "gpt-4", "--tokens", "lots"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'lots'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Estimate_CachedMoreThanInput_ExitsOneNamingBoth()
    {
        CliResult result = await CliRun.RunAsync(["estimate", "--model", "gpt-4o", "--tokens", "100", "--cached", "200"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--cached (200) is more than --tokens/--input (100)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Estimate_WithoutModel_ExitsOne()
    {
        CliResult result = await CliRun.RunAsync(["estimate", "--tokens", "100"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--model", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Estimate_UnknownModel_SaysUnpricedNeverZeroAndExitsOne()
    {
        CliResult text = await CliRun.RunAsync(["estimate", "--model", "gpt-9-turbo", "--tokens", "1000"]);
        CliResult json = await CliRun.RunAsync(["estimate", "--model", "gpt-9-turbo", "--tokens", "1000", "--format", "json"]);

        Assert.Equal(1, text.ExitCode);
        Assert.StartsWith("gpt-9-turbo: UNPRICED. No price for model 'gpt-9-turbo'", text.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("$0", text.Output, StringComparison.Ordinal);
        Assert.Equal(1, json.ExitCode);
        using JsonDocument document = JsonDocument.Parse(json.Output);
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("total").ValueKind);
        Assert.Equal("Unpriced", document.RootElement.GetProperty("rule").GetString());
    }

    [Fact]
    public async Task Estimate_PriceFile_PricesACustomModelExactly()
    {
        string prices = _folder.File("prices.json");
        await File.WriteAllTextAsync(prices, """{"my-finetune": {"input_cost_per_token": 2e-6, "output_cost_per_token": 8e-6}}""", TestContext.Current.CancellationToken);

        CliResult result = await CliRun.RunAsync(["estimate", "--model", "my-finetune", "--tokens", "1000", "--output", "1000", "--prices", prices, "--format", "json"]);

        Assert.Equal(0, result.ExitCode);
        using JsonDocument json = JsonDocument.Parse(result.Output);
        Assert.Equal("0.01", json.RootElement.GetProperty("total").GetString());
    }

    [Fact]
    public async Task Estimate_MalformedPriceFile_ExitsOneNamingFileAndProblem()
    {
        string prices = _folder.File("broken.json");
        await File.WriteAllTextAsync(prices, """{"gpt-4": {"input_cost_per_token": 3e-05,""", TestContext.Current.CancellationToken);

        CliResult result = await CliRun.RunAsync(["estimate", "--model", "gpt-4", "--tokens", "1", "--prices", prices]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"error: Price file '{prices}' is malformed: The price file is not valid JSON", result.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Output);
    }

    [Fact]
    public async Task Estimate_PriceFileWhoseRootIsAnArray_ExitsOneNamingFile()
    {
        string prices = _folder.File("array.json");
        await File.WriteAllTextAsync(prices, "[1, 2]", TestContext.Current.CancellationToken);

        CliResult result = await CliRun.RunAsync(["estimate", "--model", "gpt-4", "--tokens", "1", "--prices", prices]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"Price file '{prices}' is malformed", result.Error, StringComparison.Ordinal);
        Assert.Contains("its root is a JSON Array", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Estimate_MissingPriceFile_ExitsOneNamingFile()
    {
        string prices = _folder.File("nowhere.json");

        CliResult result = await CliRun.RunAsync(["estimate", "--model", "gpt-4", "--tokens", "1", "--prices", prices]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"Price file '{prices}' does not exist.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Estimate_PriceFileWithOneBadEntry_WarnsAndLoadsTheRest()
    {
        string prices = _folder.File("mixed.json");
        await File.WriteAllTextAsync(prices, """
            {"good-model": {"input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6},
             "bad-model": {"input_cost_per_token": "cheap"}}
            """, TestContext.Current.CancellationToken);

        CliResult good = await CliRun.RunAsync(["estimate", "--model", "good-model", "--tokens", "1000", "--prices", prices]);
        CliResult bad = await CliRun.RunAsync(["estimate", "--model", "bad-model", "--tokens", "1000", "--prices", prices]);

        Assert.Equal(0, good.ExitCode);
        Assert.Contains(" $0.001\n", good.Output, StringComparison.Ordinal);
        Assert.Contains($"warning: price file '{prices}': skipped entry 'bad-model': Field 'input_cost_per_token' must be a number", good.Error, StringComparison.Ordinal);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("bad-model: UNPRICED", bad.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Estimate_WithDb_NeverWritesTheLedger()
    {
        CliResult result = await CliRun.RunAsync(["estimate", "--model", "gpt-4", "--tokens", "10", "--db", _folder.Database]);

        Assert.Equal(0, result.ExitCode);
        Assert.False(File.Exists(_folder.Database));
    }

    [Fact]
    public async Task Estimate_EmptyPricesPath_ExitsOneNamingTheOptionWithoutAStackTrace()
    {
        CliResult estimate = await CliRun.RunAsync(["estimate", "--model", "gpt-4", "--tokens", "1", "--prices", ""]);
        CliResult pricing = await CliRun.RunAsync(["pricing", "--prices", ""]);

        Assert.Equal(1, estimate.ExitCode);
        Assert.StartsWith("error: --prices is empty", estimate.Error, StringComparison.Ordinal);
        Assert.Equal(1, pricing.ExitCode);
        Assert.StartsWith("error: --prices is empty", pricing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Estimate_PriceFileIsAFolder_ExitsOneSayingItIsAFolder()
    {
        CliResult result = await CliRun.RunAsync(["estimate", "--model", "gpt-4", "--tokens", "1", "--prices", _folder.Path]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"Price file '{_folder.Path}' is a folder, not a file.", result.Error, StringComparison.Ordinal);
    }
}
