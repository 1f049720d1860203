namespace Musubi.Monitoring.Costs.Cli.Tests.Commands;

public sealed class PricingCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Pricing_NoModel_ListsEveryCatalogueKeyWithExactPerTokenPrices()
    {
        CliResult result = await CliRun.RunAsync(["pricing"]);

        Assert.Equal(0, result.ExitCode);
        string[] lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"{LedgerSeed.s_catalog.Keys.Count} priced models (USD per token)", lines[0]);
        Assert.Equal(LedgerSeed.s_catalog.Keys.Count + 2, lines.Length);
        string gpt4 = Assert.Single(lines, l => l.StartsWith("gpt-4 ", StringComparison.Ordinal));
        Assert.Matches(@"^gpt-4\s+openai\s+\$0\.00003\s+\$0\.00006\s+-\s+-$", gpt4);
    }

    [Fact]
    public async Task Pricing_Model_ShowsTheRuleKeyAndPrices()
    {
        CliResult result = await CliRun.RunAsync(["pricing", "openai/gpt-4o-2024-08-06"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("openai/gpt-4o-2024-08-06 resolves to 'gpt-4o' by rule DateSuffixStripped (USD per token)", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"\ninput\s+\$0\.0000025\n", result.Output);
        Assert.Matches(@"\ncached read\s+\$0\.00000125\n", result.Output);
        Assert.Matches(@"\nreasoning\s+- \(output price\)\n", result.Output);
    }

    [Fact]
    public async Task Pricing_TieredModel_ShowsItsTiers()
    {
        string prices = _folder.File("tiers.json");
        await File.WriteAllTextAsync(prices, """
            {"long-model": {"input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6,
                            "input_cost_per_token_above_200k_tokens": 2e-6, "output_cost_per_token_above_200k_tokens": 4e-6}}
            """, TestContext.Current.CancellationToken);

        CliResult result = await CliRun.RunAsync(["pricing", "long-model", "--prices", prices]);

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"\nabove 200000 input tokens\s+input \$0\.000002, output \$0\.000004, cached read -\n", result.Output);
    }

    [Fact]
    public async Task Pricing_UnknownModel_SaysUnpricedAndExitsOne()
    {
        CliResult result = await CliRun.RunAsync(["pricing", "gpt-4o-mini-turbo"]);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("gpt-4o-mini-turbo: UNPRICED. No price for model 'gpt-4o-mini-turbo'", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pricing_MalformedPriceFile_ExitsOneNamingFile()
    {
        string prices = _folder.File("bad.json");
        await File.WriteAllTextAsync(prices, "not json", TestContext.Current.CancellationToken);

        CliResult result = await CliRun.RunAsync(["pricing", "--prices", prices]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"error: Price file '{prices}' is malformed", result.Error, StringComparison.Ordinal);
    }
}
