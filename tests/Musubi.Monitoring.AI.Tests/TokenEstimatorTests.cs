using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace Musubi.Monitoring.AI.Tests;

/// <summary>
/// Token counts checked by running the tokenizer, and against OpenAI's cookbook ("How to count tokens with tiktoken"),
/// which gives "お誕生日おめでとう" as 9 cl100k_base tokens and 8 o200k_base tokens, and "tiktoken is great!" as 6.
/// </summary>
public sealed class TokenEstimatorTests
{
    private const string Birthday = "お誕生日おめでとう";
    private const string Great = "tiktoken is great!";
    private const string Incident = "Summarise the incident timeline for SEV2-1042 in three bullet points.";

    [Fact]
    public void Count_Cl100kModel_MatchesPublishedCounts()
    {
        Tokenizer tokenizer = TokenEstimator.For("gpt-4");

        Assert.Equal(9, TokenEstimator.Count(tokenizer, Birthday));
        Assert.Equal(6, TokenEstimator.Count(tokenizer, Great));
        Assert.Equal(18, TokenEstimator.Count(tokenizer, Incident));
        Assert.Equal([83, 1609, 5963, 374, 2294, 0], tokenizer.EncodeToIds(Great)); // the cookbook's ids
    }

    [Fact]
    public void Count_O200kModel_MatchesPublishedCounts()
    {
        Tokenizer tokenizer = TokenEstimator.For("gpt-4o-mini");

        Assert.Equal(8, TokenEstimator.Count(tokenizer, Birthday));
        Assert.Equal(6, TokenEstimator.Count(tokenizer, Great));
        Assert.Equal(18, TokenEstimator.Count(tokenizer, Incident));
        Assert.Equal([83, 8251, 2488, 382, 2212, 0], tokenizer.EncodeToIds(Great));
    }

    [Theory]
    [InlineData("claude-3-7-sonnet-20250219")]
    [InlineData("gemini-2.5-pro")]
    [InlineData("unknown")]
    [InlineData("my-azure-deployment")]
    public void For_ModelTheLibraryDoesNotKnow_UsesSharedO200k(string model)
    {
        Tokenizer tokenizer = TokenEstimator.For(model);

        Assert.Equal(8, TokenEstimator.Count(tokenizer, Birthday));
        Assert.Same(TokenEstimator.For("some-other-unknown-model"), tokenizer);
    }

    [Fact]
    public void For_SameModelTwice_ReturnsCachedTokenizer()
    {
        Assert.Same(TokenEstimator.For("gpt-4.1"), TokenEstimator.For("gpt-4.1"));
        Assert.NotSame(TokenEstimator.For("gpt-4"), TokenEstimator.For("gpt-4o"));
    }

    [Fact]
    public void Count_Messages_SumsTheTextOfEveryMessage()
    {
        Tokenizer tokenizer = TokenEstimator.For("gpt-4");
        ChatMessage[] messages = [new(ChatRole.System, Great), new(ChatRole.User, Birthday), new(ChatRole.Assistant, "")];

        Assert.Equal(15, TokenEstimator.Count(tokenizer, messages));
    }

    [Fact]
    public void Count_EmptyText_IsZero()
    {
        Assert.Equal(0, TokenEstimator.Count(TokenEstimator.For("gpt-4o"), string.Empty));
    }

    [Fact]
    public void For_NullModel_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => TokenEstimator.For(null!));
    }
}
