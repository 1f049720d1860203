using Musubi.Monitoring.Incidents;

namespace Musubi.Monitoring.Incidents.Tests.Runbooks;

public sealed class RunbookTests
{
    private static RunbookStep Step(string id) => new() { Id = id, Text = "Do " + id };

    [Fact]
    public void Constructor_ValidSteps_KeepsOrderAndValues()
    {
        var runbook = new Runbook("restart-api", "Restart the API", 2,
        [
            Step("drain"),
            new RunbookStep
            {
                Id = "restart", Text = "Restart the pods", Command = "kubectl rollout restart deploy/api", ExpectedOutput = "restarted",
                OnFailure = StepFailurePolicy.Retry, RetryCount = 2, Timeout = TimeSpan.FromMinutes(5), RequiresConfirmation = true,
            },
            Step("verify"),
        ], "When the API hangs");

        Assert.Equal(["drain", "restart", "verify"], runbook.Steps.Select(s => s.Id));
        Assert.Equal(("restart-api", "Restart the API", 2, "When the API hangs"), (runbook.Id, runbook.Title, runbook.Version, runbook.Description));
        Assert.Equal("restart-api v2", runbook.ToString());
        Assert.Equal(StepFailurePolicy.Abort, runbook.Steps[0].OnFailure);
    }

    [Fact]
    public void Constructor_NoSteps_ThrowsNamingTheRunbook()
    {
        ArgumentException ex = Assert.Throws<ArgumentException>(() => new Runbook("r", "R", 1, []));
        Assert.Contains("'r' has no steps", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_VersionZero_Throws()
    {
        ArgumentOutOfRangeException ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Runbook("r", "R", 0, [Step("a")]));
        Assert.Contains("version 0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_DuplicateStepIds_ThrowsNamingTheIdAndBothSteps()
    {
        ArgumentException ex = Assert.Throws<ArgumentException>(() => new Runbook("r", "R", 1, [Step("a"), Step("b"), Step("a")]));
        Assert.Contains("Step 3 ('a')", ex.Message, StringComparison.Ordinal);
        Assert.Contains("step 1", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StepFailurePolicy.Abort, 2, "RetryCount 2 but OnFailure Abort")]
    [InlineData(StepFailurePolicy.Continue, 1, "RetryCount 1 but OnFailure Continue")]
    [InlineData(StepFailurePolicy.Retry, 0, "RetryCount 0; use 1 to 100")]
    [InlineData(StepFailurePolicy.Retry, 101, "RetryCount 101; use 1 to 100")]
    [InlineData((StepFailurePolicy)7, 0, "failure policy 7")]
    public void Constructor_InvalidRetrySettings_ThrowsNamingTheValue(StepFailurePolicy policy, int retries, string expected)
    {
        RunbookStep bad = Step("restart") with { OnFailure = policy, RetryCount = retries };
        ArgumentException ex = Assert.Throws<ArgumentException>(() => new Runbook("r", "R", 1, [bad]));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains("'restart'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-5, "-00:00:05")]
    [InlineData(0, "00:00:00")]
    [InlineData(31 * 86400, "31.00:00:00")]
    public void Constructor_TimeoutNotPositiveOrTooLong_ThrowsNamingTheValue(int seconds, string shown)
    {
        RunbookStep bad = Step("wait") with { Timeout = TimeSpan.FromSeconds(seconds) };
        ArgumentException ex = Assert.Throws<ArgumentException>(() => new Runbook("r", "R", 1, [bad]));
        Assert.Contains($"timeout {shown}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_StepWithoutIdOrTextOrNull_Throws()
    {
        Assert.Contains("Step 2 of runbook 'r' has no id", Assert.Throws<ArgumentException>(
            () => new Runbook("r", "R", 1, [Step("a"), Step(" ")])).Message, StringComparison.Ordinal);
        Assert.Contains("('a') of runbook 'r' has no text", Assert.Throws<ArgumentException>(
            () => new Runbook("r", "R", 1, [Step("a") with { Text = "" }])).Message, StringComparison.Ordinal);
        Assert.Contains("Step 1 of runbook 'r' is null", Assert.Throws<ArgumentException>(
            () => new Runbook("r", "R", 1, [null!])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => new Runbook("r", "R", 1, null!));
        Assert.Throws<ArgumentException>(() => new Runbook(" ", "R", 1, [Step("a")]));
    }
}
