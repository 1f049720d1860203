using System.Text.Json;

namespace Musubi.Monitoring.Costs.Tests;

public sealed class LlmUsageTests
{
    private static readonly DateTimeOffset s_at = new(2025, 7, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Constructor_NegativeInputTokens_ThrowsNamingFieldAndValue()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new LlmUsage("openai", "gpt-4", s_at, -5, 0));
        Assert.Equal("inputTokens", ex.ParamName);
        Assert.Contains("-5", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NegativeReasoningTokens_ThrowsNamingField()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new LlmUsage("openai", "o1", s_at, 1, 10, reasoningTokens: -1));
        Assert.Equal("reasoningTokens", ex.ParamName);
    }

    [Fact]
    public void Constructor_CachedAboveInput_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new LlmUsage("openai", "gpt-4o", s_at, 10, 0, cachedReadTokens: 11));
        Assert.Contains("exceeds inputTokens (10)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_ReasoningAboveOutput_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new LlmUsage("openai", "o1", s_at, 0, 5, reasoningTokens: 6));
        Assert.Equal("reasoningTokens", ex.ParamName);
        Assert.Contains("6", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_EmptyModel_Throws()
    {
        Assert.Throws<ArgumentException>(() => new LlmUsage("openai", " ", s_at, 0, 0));
        Assert.Throws<ArgumentNullException>(() => new LlmUsage(null!, "gpt-4", s_at, 0, 0));
    }

    [Fact]
    public void With_DescriptiveProperties_KeepsCounts()
    {
        var usage = new LlmUsage("azure", "my-deploy", s_at, 10, 5) with
        {
            BaseModel = "gpt-4o",
            ResponseModel = "gpt-4o-2024-08-06",
            Attribution = new UsageAttribution { User = "u1", Feature = "chat", Tenant = "t1", Tags = new Dictionary<string, string> { ["team"] = "a" } },
        };
        Assert.Equal(10, usage.InputTokens);
        Assert.Equal("gpt-4o", usage.BaseModel);
        Assert.Equal("chat", usage.Operation);
        Assert.Equal("a", usage.Attribution!.Tags["team"]);
    }
}

public sealed class UsageAdaptersTests
{
    private static readonly DateTimeOffset s_at = new(2025, 7, 1, 0, 0, 0, TimeSpan.Zero);

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    [Fact]
    public void FromOpenAI_ChatUsageJson_PromptIncludesCachedAndCompletionIncludesReasoning()
    {
        LlmUsage usage = UsageAdapters.FromOpenAI("o1", s_at, Json("""
            {"prompt_tokens": 1200, "completion_tokens": 800, "total_tokens": 2000,
             "prompt_tokens_details": {"cached_tokens": 1024}, "completion_tokens_details": {"reasoning_tokens": 600}}
            """));
        Assert.Equal("openai", usage.Provider);
        Assert.Equal(1200, usage.InputTokens);
        Assert.Equal(1024, usage.CachedReadTokens);
        Assert.Equal(800, usage.OutputTokens);
        Assert.Equal(600, usage.ReasoningTokens);
    }

    [Fact]
    public void FromOpenAI_ResponsesUsageJson_MapsInputAndOutputTokens()
    {
        LlmUsage usage = UsageAdapters.FromOpenAI("gpt-4o", s_at, Json("""
            {"input_tokens": 50, "input_tokens_details": {"cached_tokens": 10}, "output_tokens": 20, "output_tokens_details": {"reasoning_tokens": 0}}
            """));
        Assert.Equal((50, 10, 20, 0L), (usage.InputTokens, usage.CachedReadTokens, usage.OutputTokens, usage.ReasoningTokens));
    }

    [Fact]
    public void FromOpenAI_NonIntegerCount_ThrowsFormatExceptionNamingField()
    {
        var ex = Assert.Throws<FormatException>(() => UsageAdapters.FromOpenAI("gpt-4", s_at, Json("""{"prompt_tokens": "12"}""")));
        Assert.Contains("prompt_tokens", ex.Message, StringComparison.Ordinal);
        Assert.Contains("\"12\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromOpenAI_NegativeCount_ThrowsOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => UsageAdapters.FromOpenAI("gpt-4", s_at, Json("""{"prompt_tokens": -1, "completion_tokens": 0}""")));
    }

    [Fact]
    public void FromAnthropic_CacheFieldsAreExtraToInput_InputIsTheSum()
    {
        LlmUsage usage = UsageAdapters.FromAnthropic("claude-3-7-sonnet-20250219", s_at, Json("""
            {"input_tokens": 3, "cache_creation_input_tokens": 12304, "cache_read_input_tokens": 100, "output_tokens": 550}
            """));
        Assert.Equal(3 + 12304 + 100, usage.InputTokens);
        Assert.Equal(100, usage.CachedReadTokens);
        Assert.Equal(12304, usage.CacheWrite5MinuteTokens);
        Assert.Equal(0, usage.CacheWrite1HourTokens);
        Assert.Equal(550, usage.OutputTokens);
    }

    [Fact]
    public void FromAnthropic_CacheCreationSplit_Maps5MinuteAnd1Hour()
    {
        LlmUsage usage = UsageAdapters.FromAnthropic("claude-sonnet-4-20250514", s_at, Json("""
            {"input_tokens": 10, "cache_creation_input_tokens": 300, "cache_read_input_tokens": 0, "output_tokens": 1,
             "cache_creation": {"ephemeral_5m_input_tokens": 100, "ephemeral_1h_input_tokens": 200}}
            """));
        Assert.Equal(310, usage.InputTokens);
        Assert.Equal(100, usage.CacheWrite5MinuteTokens);
        Assert.Equal(200, usage.CacheWrite1HourTokens);
    }

    [Fact]
    public void FromAnthropic_OneHourAboveAllWrites_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => UsageAdapters.FromAnthropic("claude-opus-4-20250514", s_at, 1, 1, cacheCreationInputTokens: 5, cacheCreation1HourInputTokens: 6));
        Assert.Equal("cacheCreation1HourInputTokens", ex.ParamName);
    }

    [Fact]
    public void FromGemini_UsageMetadata_InputIsPromptPlusToolUseAndOutputIsCandidatesPlusThoughts()
    {
        LlmUsage usage = UsageAdapters.FromGemini("gemini-2.5-pro", s_at, Json("""
            {"promptTokenCount": 1000, "toolUsePromptTokenCount": 200, "candidatesTokenCount": 300, "thoughtsTokenCount": 700,
             "cachedContentTokenCount": 400, "totalTokenCount": 2200}
            """));
        Assert.Equal("gemini", usage.Provider);
        Assert.Equal(1200, usage.InputTokens);
        Assert.Equal(400, usage.CachedReadTokens);
        Assert.Equal(1000, usage.OutputTokens);
        Assert.Equal(700, usage.ReasoningTokens);
    }

    [Fact]
    public void FromGemini_NotAnObject_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => UsageAdapters.FromGemini("gemini-2.5-pro", s_at, Json("[]")));
    }
}
