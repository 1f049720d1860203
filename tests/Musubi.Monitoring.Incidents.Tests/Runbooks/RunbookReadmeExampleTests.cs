using Musubi.Monitoring.Incidents;

namespace Musubi.Monitoring.Incidents.Tests.Runbooks;

/// <summary>The runbook example of the README, kept here so it compiles and works.</summary>
public sealed class RunbookReadmeExampleTests
{
    [Fact]
    public async Task ReadmeExample_RestartApiForAnIncident_SucceedsAndFillsTheIncidentTimeline()
    {
        var incidentStore = new InMemoryIncidentStore();
        await incidentStore.AddAsync(Incident.Open("INC-42", "API hangs", Severity.Sev2, TimeProvider.System.GetUtcNow(), "alertmanager"),
            TestContext.Current.CancellationToken);
        static Task<StepOutcome> Kubectl(string command, CancellationToken ct) => Task.FromResult(StepOutcome.Success("ok: " + command));

        // README begin
#pragma warning disable xUnit1051 // The snippet is application code, which has no test cancellation token.
        var catalog = new RunbookCatalog();
        catalog.Add(new Runbook("restart-api", "Restart the API", version: 1,
        [
            new RunbookStep { Id = "drain", Text = "Take the API out of the load balancer", Command = "kubectl label pod -l app=api lb=off" },
            new RunbookStep
            {
                Id = "restart", Text = "Restart the pods", Command = "kubectl rollout restart deploy/api", RequiresConfirmation = true,
                OnFailure = StepFailurePolicy.Retry, RetryCount = 2, Timeout = TimeSpan.FromMinutes(5),
            },
            new RunbookStep { Id = "verify", Text = "Check the 5xx rate on the dashboard", ExpectedOutput = "below 1%" },
        ]));

        // Automated steps by id; the others ("verify") wait for a person (ManualStepExecutor).
        var executor = new DelegateStepExecutor(new Dictionary<string, Func<RunbookStepContext, CancellationToken, Task<StepOutcome>>>
        {
            ["drain"] = (step, ct) => Kubectl(step.Step.Command!, ct),
            ["restart"] = (step, ct) => Kubectl(step.Step.Command!, ct),
        });
        var runner = new RunbookRunner(executor, TimeProvider.System, incidentStore);
        RunbookExecution run = runner.Start(catalog.Get("restart-api"), startedBy: "ana", incidentId: "INC-42");

        await run.WaitForPersonAsync();               // "restart" needs a confirmation
        run.Confirm("restart", "ana");
        await run.WaitForPersonAsync();               // "verify" is done by hand
        run.CompleteStep("verify", "ana", "0.2% 5xx");
        RunbookExecutionStatus status = await run.Completion; // Succeeded; each step is in INC-42's timeline
#pragma warning restore xUnit1051
        // README end

        Assert.Equal(RunbookExecutionStatus.Succeeded, status);
        Assert.Equal(100m, run.ProgressPercent);
        Incident incident = (await incidentStore.GetAsync("INC-42", TestContext.Current.CancellationToken))!;
        Assert.Equal(run.Timeline, incident.Timeline.Where(e => e.Kind == "runbook"));
    }
}
