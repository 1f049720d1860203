using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring.Incidents;

namespace Musubi.Monitoring.Incidents.Tests.Runbooks;

public sealed class RunbookManualAndTimelineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new(T0);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static RunbookStep Step(string id) => new() { Id = id, Text = "Do " + id };

    private static Runbook Book(params RunbookStep[] steps) => new("restart-api", "Restart the API", 2, steps);

    private static async Task<RunbookExecutionStatus> Finish(RunbookExecution execution) => await execution.Completion.WaitAsync(Guard, Ct);

    private static async Task<RunbookExecutionStatus> Waiting(RunbookExecution execution) => await execution.WaitForPersonAsync(Ct).WaitAsync(Guard, Ct);

    [Fact]
    public async Task CompleteStep_ManualStep_SucceedsWithWhoDidItAndTheOutput()
    {
        var runner = new RunbookRunner(timeProvider: _time);
        RunbookExecution execution = runner.Start(Book(Step("restart"), Step("verify")), "ana", cancellationToken: Ct);

        Assert.Equal(RunbookExecutionStatus.WaitingForPerson, await Waiting(execution));
        Assert.Equal(("restart", RunbookStepState.AwaitingResult), (execution.CurrentStep!.Step.Id, execution.CurrentStep.State));
        _time.Advance(TimeSpan.FromMinutes(3));
        execution.CompleteStep("restart", "ben", "deployment.apps/api restarted");
        Assert.Equal(RunbookExecutionStatus.WaitingForPerson, await Waiting(execution));
        Assert.Equal("verify", execution.CurrentStep!.Step.Id);
        execution.CompleteStep("verify", "ben");

        Assert.Equal(RunbookExecutionStatus.Succeeded, await Finish(execution));
        RunbookStepProgress restart = execution.Steps[0];
        Assert.Equal((RunbookStepState.Succeeded, "ben", "deployment.apps/api restarted", T0, T0.AddMinutes(3)),
            (restart.State, restart.FinishedBy, restart.Output, restart.StartedAt, restart.EndedAt));
        Assert.Contains(execution.Timeline, e => e.Actor == "ben" && e.Text == "Step 1/2 'restart' succeeded: deployment.apps/api restarted");
    }

    [Fact]
    public async Task FailStep_ManualStepWithContinue_RecordsTheErrorAndGoesOn()
    {
        var runner = new RunbookRunner(new ManualStepExecutor(), _time);
        RunbookExecution execution = runner.Start(Book(Step("restart") with { OnFailure = StepFailurePolicy.Continue }, Step("verify")), "ana", cancellationToken: Ct);
        await Waiting(execution);

        execution.FailStep("restart", "ben", "pods stuck in Terminating");
        await Waiting(execution);
        execution.CompleteStep("verify", "ben");

        Assert.Equal(RunbookExecutionStatus.CompletedWithFailures, await Finish(execution));
        Assert.Equal((RunbookStepState.Failed, "pods stuck in Terminating", "ben"), (execution.Steps[0].State, execution.Steps[0].Error, execution.Steps[0].FinishedBy));
    }

    [Fact]
    public async Task ManualStepExecutor_NobodyReportsWithinTheTimeout_StepTimesOut()
    {
        var runner = new RunbookRunner(timeProvider: _time);
        RunbookExecution execution = runner.Start(Book(Step("restart") with { Timeout = TimeSpan.FromMinutes(10) }, Step("verify")), "ana", cancellationToken: Ct);
        await Waiting(execution);

        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(RunbookExecutionStatus.Aborted, await Finish(execution));
        Assert.Equal(RunbookStepState.TimedOut, execution.Steps[0].State);
        Assert.Throws<InvalidOperationException>(() => execution.CompleteStep("restart", "ben"));
    }

    [Fact]
    public async Task CompleteStep_StepNotAwaitingAResult_ThrowsNamingItsState()
    {
        var runner = new RunbookRunner(timeProvider: _time);
        RunbookExecution execution = runner.Start(Book(Step("restart"), Step("verify")), "ana", cancellationToken: Ct);
        await Waiting(execution);

        InvalidOperationException ex = Assert.Throws<InvalidOperationException>(() => execution.CompleteStep("verify", "ben"));
        Assert.Contains("'verify' of runbook restart-api v2 is Pending", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => execution.FailStep("restart", "ben", " "));
        execution.Cancel("ana", "done");
        Assert.Equal(RunbookStepState.Cancelled, (await Finish(execution), execution.Steps[0].State).Item2);
    }

    [Fact]
    public async Task DelegateStepExecutor_ByStepId_AutomatesSomeStepsAndLeavesTheRestToAPerson()
    {
        var ran = new ConcurrentQueue<string>();
        var executor = new DelegateStepExecutor(new Dictionary<string, Func<RunbookStepContext, CancellationToken, Task<StepOutcome>>>
        {
            ["restart"] = (c, _) =>
            {
                ran.Enqueue(c.Step.Command!);
                return Task.FromResult(StepOutcome.Success("restarted"));
            },
        });
        var runner = new RunbookRunner(executor, _time);
        RunbookExecution execution = runner.Start(Book(Step("restart") with { Command = "kubectl rollout restart deploy/api" }, Step("verify")), "ana", cancellationToken: Ct);

        await Waiting(execution);
        Assert.Equal(("verify", RunbookStepState.AwaitingResult), (execution.CurrentStep!.Step.Id, execution.CurrentStep.State));
        execution.CompleteStep("verify", "ben");

        Assert.Equal(RunbookExecutionStatus.Succeeded, await Finish(execution));
        Assert.Equal(["kubectl rollout restart deploy/api"], ran);
        Assert.Null(execution.Steps[0].FinishedBy);
        Assert.Equal("ben", execution.Steps[1].FinishedBy);
    }

    [Fact]
    public void DelegateStepExecutor_NullDelegate_ThrowsNamingTheStep()
    {
        Assert.Throws<ArgumentNullException>(() => new DelegateStepExecutor((Func<RunbookStepContext, CancellationToken, Task<StepOutcome>>)null!));
        ArgumentException ex = Assert.Throws<ArgumentException>(() => new DelegateStepExecutor(
            new Dictionary<string, Func<RunbookStepContext, CancellationToken, Task<StepOutcome>>> { ["restart"] = null! }));
        Assert.Contains("'restart'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ForAnIncident_AddsEveryEntryToTheIncidentTimelineInOrder()
    {
        var store = new InMemoryIncidentStore();
        await store.AddAsync(Incident.Open("INC-7", "Checkout 5xx", Severity.Sev2, T0, "alertmanager"), Ct);
        var runner = new RunbookRunner(new DelegateStepExecutor((_, _) => Task.FromResult(StepOutcome.Success())), _time, store);

        RunbookExecution execution = runner.Start(
            Book(Step("drain"), Step("restart") with { RequiresConfirmation = true }, Step("purge"), Step("verify")), "ana", "INC-7", Ct);
        await Waiting(execution);
        execution.Skip("purge", "ben", "cache is cold");
        execution.Confirm("restart", "ben");

        Assert.Equal(RunbookExecutionStatus.Succeeded, await Finish(execution));
        Incident incident = (await store.GetAsync("INC-7", Ct))!;
        TimelineEntry[] runbook = [.. incident.Timeline.Where(e => e.Kind == "runbook")];
        Assert.Equal(execution.Timeline, runbook);
        Assert.Equal("opened", incident.Timeline[0].Kind);
        Assert.Equal(
        [
            "Runbook restart-api v2 'Restart the API' started by ana: 4 steps (execution " + execution.Id + ")",
            "Step 1/4 'drain' started",
            "Step 1/4 'drain' succeeded",
            "Step 2/4 'restart' is waiting for confirmation",
            "Step 3/4 'purge' skipped by ben: cache is cold",
            "Step 2/4 'restart' confirmed by ben",
            "Step 2/4 'restart' started",
            "Step 2/4 'restart' succeeded",
            "Step 4/4 'verify' started",
            "Step 4/4 'verify' succeeded",
            "Runbook restart-api v2 succeeded",
        ], runbook.Select(e => e.Text));
        Assert.Null(execution.TimelineError);
    }

    [Fact]
    public async Task Start_IncidentChangedConcurrently_ReReadsAndKeepsBothChanges()
    {
        var inner = new InMemoryIncidentStore();
        await inner.AddAsync(Incident.Open("INC-7", "Checkout 5xx", Severity.Sev2, T0, "alertmanager"), Ct);
        var store = new RacingStore(inner);
        var runner = new RunbookRunner(new DelegateStepExecutor((_, _) => Task.FromResult(StepOutcome.Success())), _time, store);

        RunbookExecution execution = runner.Start(Book(Step("drain")), "ana", "INC-7", Ct);

        Assert.Equal(RunbookExecutionStatus.Succeeded, await Finish(execution));
        Incident incident = (await inner.GetAsync("INC-7", Ct))!;
        Assert.Contains(incident.Timeline, e => e.Kind == "note" && e.Text == "someone else wrote first");
        Assert.Equal(execution.Timeline, incident.Timeline.Where(e => e.Kind == "runbook"));
        Assert.True(store.Conflicts >= 1);
        Assert.Null(execution.TimelineError);
    }

    [Fact]
    public async Task Start_IncidentMissing_RunsAndReportsTheTimelineError()
    {
        var runner = new RunbookRunner(new DelegateStepExecutor((_, _) => Task.FromResult(StepOutcome.Success())), _time, new InMemoryIncidentStore());

        RunbookExecution execution = runner.Start(Book(Step("drain")), "ana", "INC-404", Ct);

        Assert.Equal(RunbookExecutionStatus.Succeeded, await Finish(execution));
        Assert.Contains("Incident INC-404 was not found", execution.TimelineError, StringComparison.Ordinal);
        Assert.Equal(4, execution.Timeline.Length);
    }

    [Fact]
    public async Task Start_IncidentAlwaysConflicting_ReportsItAndWritesEverythingOnceItCalms()
    {
        var inner = new InMemoryIncidentStore();
        await inner.AddAsync(Incident.Open("INC-7", "Checkout 5xx", Severity.Sev2, T0, "alertmanager"), Ct);
        var store = new RacingStore(inner) { AlwaysRace = true };
        var runner = new RunbookRunner(timeProvider: _time, incidentStore: store);
        RunbookExecution execution = runner.Start(Book(Step("restart")), "ana", "INC-7", Ct);
        await Waiting(execution);

        Assert.Contains("changed under every one of 5 writes", execution.TimelineError, StringComparison.Ordinal);
        Assert.DoesNotContain((await inner.GetAsync("INC-7", Ct))!.Timeline, e => e.Kind == "runbook");
        store.AlwaysRace = false;
        execution.CompleteStep("restart", "ben");

        Assert.Equal(RunbookExecutionStatus.Succeeded, await Finish(execution));
        Assert.Null(execution.TimelineError);
        Assert.Equal(execution.Timeline, (await inner.GetAsync("INC-7", Ct))!.Timeline.Where(e => e.Kind == "runbook"));
    }

    /// <summary>Adds a note through the inner store just before the first update, so that update is stale.</summary>
    private sealed class RacingStore(InMemoryIncidentStore inner) : IIncidentStore
    {
        private int _raced;

        public int Conflicts { get; private set; }

        public bool AlwaysRace { get; set; }

        public Task<Incident> AddAsync(Incident incident, CancellationToken cancellationToken = default) => inner.AddAsync(incident, cancellationToken);

        public async Task<Incident> UpdateAsync(Incident incident, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Exchange(ref _raced, 1) == 0 || AlwaysRace)
            {
                Incident current = (await inner.GetAsync(incident.Id, cancellationToken))!;
                await inner.UpdateAsync(current.WithNote("carla", current.Timeline[^1].At, "someone else wrote first"), cancellationToken);
            }

            try
            {
                return await inner.UpdateAsync(incident, cancellationToken);
            }
            catch (IncidentConflictException)
            {
                Conflicts++;
                throw;
            }
        }

        public Task<Incident?> GetAsync(string id, CancellationToken cancellationToken = default) => inner.GetAsync(id, cancellationToken);

        public Task<Incident?> FindByAlertKeyAsync(string alertKey, CancellationToken cancellationToken = default) => inner.FindByAlertKeyAsync(alertKey, cancellationToken);

        public Task<IncidentPage> ListAsync(IncidentQuery query, CancellationToken cancellationToken = default) => inner.ListAsync(query, cancellationToken);
    }
}
