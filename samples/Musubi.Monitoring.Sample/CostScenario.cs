using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;
using Musubi.Monitoring.AI;
using Musubi.Monitoring.Costs;

namespace Musubi.Monitoring.Sample;

/// <summary>
/// The LLM cost scenario: a scripted batch of chat calls through the host's <see cref="IChatClient"/> — the
/// <see cref="FakeLlmGateway"/> (a fake provider) wrapped with <c>UseMusubiCostTracking()</c> — recorded in the
/// SQLite ledger (<c>artifacts/musubi.db</c>). It prints this run's cost report by model and the daily budget, and
/// checks every figure against costs computed here, independently, from the vendors' published prices per million
/// tokens: each record, the report's total and rows, the unpriced call, the tokenizer estimate and the budget's spend.
/// </summary>
internal static class CostScenario
{
    /// <summary>The daily budget over every call in the ledger; the ledger outlives runs, so repeated runs fill it up.</summary>
    public static readonly Budget DailyBudget = new("sample-llm-daily", 5m, BudgetPeriod.Daily);

    private const string UnknownModel = "acme-llm-7b";

    public sealed record Result(string Text, int Calls, decimal ExpectedTotal, string? Problem);

    public static async Task<Result> RunAsync(WebApplication app, CancellationToken cancellationToken)
    {
        IChatClient chat = app.Services.GetRequiredService<IChatClient>();
        FakeLlmGateway gateway = app.Services.GetRequiredService<FakeLlmGateway>();
        ICostLedger ledger = app.Services.GetRequiredService<ICostLedger>();
        TimeProvider time = app.Services.GetRequiredService<TimeProvider>();
        DateTimeOffset runStarted = time.GetUtcNow();

        Call[] calls = Script();
        foreach (Call call in calls)
        {
            gateway.Enqueue(call.Reply);
            var options = new ChatOptions
            {
                ModelId = call.RequestModel,
                AdditionalProperties = new() { [CostTrackingOptions.FeatureKey] = call.Feature },
            };
            ChatMessage[] prompt = [new(ChatRole.User, call.Prompt)];
            if (call.Stream)
            {
                await foreach (ChatResponseUpdate update in chat.GetStreamingResponseAsync(prompt, options, cancellationToken))
                {
                    _ = update;
                }
            }
            else
            {
                _ = await chat.GetResponseAsync(prompt, options, cancellationToken);
            }
        }

        // This run's records (the SQLite file keeps earlier runs too), in the order they were appended.
        List<CostRecord> records = await ListAsync(ledger, new CostQuery { From = runStarted }, cancellationToken);
        DateTimeOffset now = time.GetUtcNow();
        CostReport report = CostReport.Build(records, CostReportPeriod.Session, CostReportGrouping.Model, TimeZoneInfo.Utc, now);

        var monitor = new BudgetMonitor([DailyBudget], new LedgerBudgetSpend(ledger), time);
        BudgetStatus budget = await monitor.EvaluateAsync(DailyBudget, cancellationToken);
        List<CostRecord> today = await ListAsync(ledger, new CostQuery { From = budget.PeriodStart, To = budget.PeriodEnd }, cancellationToken);

        decimal expectedTotal = calls.Sum(c => c.Expected ?? 0m);
        string? problem = Check(calls, records, report, budget, today);

        var text = new System.Text.StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"LLM costs: {calls.Length} chat calls through UseMusubiCostTracking() to a FAKE provider ({FakeLlmGateway.ProviderName}), recorded in {SampleIncidents.DatabasePath}\n");
        text.Append(report.ToText());
        text.Append(CultureInfo.InvariantCulture, $"Budget {DailyBudget.Name}: {CostFormat.Usd(budget.Spent)} of {CostFormat.Usd(budget.Limit, 2)} today ({budget.Share.ToString("P1", CultureInfo.InvariantCulture)}, {today.Count} calls in the ledger) → {budget.State.ToString().ToUpperInvariant()}\n");
        CostRecord? estimated = records.FirstOrDefault(r => r.Usage.Attribution?.Tags.ContainsKey(CostTrackingOptions.EstimatedTag) == true);
        if (estimated is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {estimated.Model} reported no usage: estimated {estimated.Usage.InputTokens} input + {estimated.Usage.OutputTokens} output tokens with its tiktoken encoding (o200k_base)\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"  {UnknownModel} has no price: recorded UNPRICED (counted, never shown as $0)\n");
        text.Append(problem is null
            ? string.Create(CultureInfo.InvariantCulture, $"  Check: every record, the report total {CostFormat.Usd(expectedTotal)} and each model row equal the published per-token prices; OK\n")
            : $"  Check FAILED: {problem}\n");
        return new Result(text.ToString(), calls.Length, expectedTotal, problem);
    }

    /// <summary>Compares what the library recorded and reported with the figures computed here.</summary>
    private static string? Check(Call[] calls, List<CostRecord> records, CostReport report, BudgetStatus budget, List<CostRecord> today)
    {
        if (records.Count != calls.Length)
        {
            return $"{records.Count} records for {calls.Length} calls";
        }

        for (int i = 0; i < calls.Length; i++)
        {
            Call call = calls[i];
            CostRecord record = records[i];
            if (record.Usage.RequestModel != call.RequestModel || record.Total != call.Expected)
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"call {i + 1} ({call.RequestModel}) was recorded as {record.Usage.RequestModel} costing {record.Total?.ToString(CultureInfo.InvariantCulture) ?? "UNPRICED"}; the published prices give {call.Expected?.ToString(CultureInfo.InvariantCulture) ?? "UNPRICED"}");
            }

            if (call.ExpectedTokens is { } tokens && (record.Usage.InputTokens, record.Usage.OutputTokens) != tokens)
            {
                return $"call {i + 1} was estimated at {record.Usage.InputTokens}/{record.Usage.OutputTokens} tokens; the tokenizer counts {tokens.Input}/{tokens.Output}";
            }
        }

        decimal expectedTotal = calls.Sum(c => c.Expected ?? 0m);
        int unpriced = calls.Count(c => c.Expected is null);
        if (report.Total.Total != expectedTotal || report.Total.Count != calls.Length || report.Total.UnpricedCount != unpriced)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"the report totals {report.Total.Total} over {report.Total.Count} calls ({report.Total.UnpricedCount} unpriced); expected {expectedTotal} over {calls.Length} ({unpriced} unpriced)");
        }

        foreach (IGrouping<string, Call> model in calls.GroupBy(c => c.Reply.ResponseModel, StringComparer.Ordinal))
        {
            CostReportRow? row = report.Rows.FirstOrDefault(r => r.Key == model.Key);
            decimal expected = model.Sum(c => c.Expected ?? 0m);
            if (row is null || row.Total != expected || row.Count != model.Count())
            {
                return string.Create(CultureInfo.InvariantCulture, $"the report row for {model.Key} is {row?.Total} over {row?.Count} calls; expected {expected} over {model.Count()}");
            }
        }

        if (report.Rows.FirstOrDefault(r => r.Key == UnknownModel) is not { IsUnpriced: true })
        {
            return $"{UnknownModel} is not reported as unpriced";
        }

        decimal spentToday = today.Sum(r => r.Total ?? 0m);
        if (budget.Spent != spentToday)
        {
            return string.Create(CultureInfo.InvariantCulture, $"the budget says {budget.Spent} spent today; the ledger's records of today sum to {spentToday}");
        }

        return null;
    }

    private static async Task<List<CostRecord>> ListAsync(ICostLedger ledger, CostQuery query, CancellationToken cancellationToken)
    {
        var records = new List<CostRecord>();
        query = query with { Take = CostQuery.MaxTake };
        while (true)
        {
            CostPage page = await ledger.ListAsync(query with { Skip = records.Count }, cancellationToken);
            records.AddRange(page.Items);
            if (page.Items.Count == 0 || records.Count >= page.Total)
            {
                return records;
            }
        }
    }

    /// <summary>USD for <paramref name="tokens"/> at a published price in USD per million tokens.</summary>
    private static decimal PerMillion(long tokens, decimal usdPerMillion) => tokens * usdPerMillion / 1_000_000m;

    /// <summary>
    /// The batch. Prices per million tokens as the vendors publish them (standard tier): gpt-4o $2.50 input, $1.25
    /// cached input, $10 output; gpt-4o-mini $0.15, $0.075, $0.60; Claude 3.7 Sonnet $3 input, $3.75 5-minute cache
    /// write, $6 1-hour write, $0.30 cache read, $15 output; Gemini 2.5 Pro $1.25 input and $10 output up to 200k prompt
    /// tokens, $2.50 and $15 above.
    /// </summary>
    private static Call[] Script()
    {
        const string EstimatedPrompt = "Classify this ticket as billing, outage or question: \"My invoice shows two charges for November.\"";
        const string EstimatedReply = "billing";
        Tokenizer o200k = TiktokenTokenizer.CreateForModel("gpt-4o-mini");   // counted here independently of the middleware
        (long Input, long Output) estimated = (o200k.CountTokens(EstimatedPrompt), o200k.CountTokens(EstimatedReply));

        return
        [
            new("support-bot", "gpt-4o", "Summarise ticket #4711 and the customer's last five messages.",
                new("gpt-4o-2024-08-06", "The customer was double-billed in November and asks for a refund.",
                    new UsageDetails { InputTokenCount = 12_000, CachedInputTokenCount = 8_192, OutputTokenCount = 600 }),
                Stream: false,
                PerMillion(12_000 - 8_192, 2.50m) + PerMillion(8_192, 1.25m) + PerMillion(600, 10m)),
            new("support-bot", "gpt-4o", "Draft a polite reply confirming the refund.",
                new("gpt-4o-2024-08-06", "Dear customer, we have refunded the duplicate charge.",
                    new UsageDetails { InputTokenCount = 1_500, OutputTokenCount = 350 }),
                Stream: false,
                PerMillion(1_500, 2.50m) + PerMillion(350, 10m)),
            new("code-review", "claude-3-7-sonnet-20250219", "Review this diff against the style guide (style guide cached for an hour).",
                new("claude-3-7-sonnet-20250219", "Two findings: a missing null check and an unused using.",
                    new UsageDetails
                    {
                        InputTokenCount = 10_266,
                        OutputTokenCount = 144,
                        AdditionalCounts = new() { ["cache_creation_input_tokens"] = 10_227, ["ephemeral_1h_input_tokens"] = 2_000 },
                    }),
                Stream: false,
                PerMillion(39, 3m) + PerMillion(8_227, 3.75m) + PerMillion(2_000, 6m) + PerMillion(144, 15m)),
            new("code-review", "claude-3-7-sonnet-20250219", "Review the next diff (same cached style guide).",
                new("claude-3-7-sonnet-20250219", "Looks good; one naming nit.",
                    new UsageDetails { InputTokenCount = 10_300, CachedInputTokenCount = 10_227, OutputTokenCount = 410 }),
                Stream: false,
                PerMillion(73, 3m) + PerMillion(10_227, 0.30m) + PerMillion(410, 15m)),
            new("research", "gemini-2.5-pro", "Compare the three incident post-mortems and list shared causes.",
                new("gemini-2.5-pro", "Shared causes: missing alert on queue depth, manual failover.",
                    new UsageDetails { InputTokenCount = 3_000, OutputTokenCount = 1_200 }),
                Stream: false,
                PerMillion(3_000, 1.25m) + PerMillion(1_200, 10m)),
            new("research", "gemini-2.5-pro", "Read the whole quarter's incident timeline and find recurring patterns.",
                new("gemini-2.5-pro", "Recurring patterns: Friday deploys, certificate expiry, cache stampedes.",
                    new UsageDetails { InputTokenCount = 250_000, OutputTokenCount = 2_000 }),
                Stream: false,
                PerMillion(250_000, 2.50m) + PerMillion(2_000, 15m)),   // above 200k: the whole request at the long-context price
            new("chat", "gpt-4o-mini", "Explain error budgets in two sentences.",
                new("gpt-4o-mini-2024-07-18", "An error budget is the unreliability an SLO allows. Spend it on change; when it runs out, slow down.",
                    new UsageDetails { InputTokenCount = 800, OutputTokenCount = 240 }),
                Stream: true,
                PerMillion(800, 0.15m) + PerMillion(240, 0.60m)),
            new("triage", "gpt-4o-mini", EstimatedPrompt,
                new("gpt-4o-mini-2024-07-18", EstimatedReply, Usage: null),
                Stream: false,
                PerMillion(estimated.Input, 0.15m) + PerMillion(estimated.Output, 0.60m),
                estimated),
            new("experiments", UnknownModel, "Say hello.",
                new(UnknownModel, "Hello!", new UsageDetails { InputTokenCount = 500, OutputTokenCount = 120 }),
                Stream: false,
                Expected: null),
        ];
    }

    /// <summary>One scripted call and its cost computed from the published prices (<see langword="null"/>: no price).</summary>
    private sealed record Call(string Feature, string RequestModel, string Prompt, ScriptedReply Reply, bool Stream, decimal? Expected, (long Input, long Output)? ExpectedTokens = null);
}
