using System.Net;
using Musubi.Monitoring.Incidents;

namespace Musubi.Monitoring.Sample;

/// <summary>
/// The runbook the demo runs against the flaky incident: real steps through a <see cref="DelegateStepExecutor"/> (an
/// HTTP readiness check, the switch, and 20 verification calls), with a confirmation gate before the switch.
/// </summary>
internal static class SampleRunbook
{
    public static Runbook Runbook { get; } = new("disable-flaky-dependency", "Switch the flaky dependency off", version: 1,
    [
        new RunbookStep { Id = "check-ready", Text = "Check that the host is ready", Command = "GET /health/ready", ExpectedOutput = "200" },
        new RunbookStep
        {
            Id = "disable", Text = "Switch the flaky dependency off", Command = "Chaos.DisableFlaky()", RequiresConfirmation = true,
        },
        new RunbookStep
        {
            Id = "verify", Text = "Call /api/flaky 20 times", Command = "GET /api/flaky ×20", ExpectedOutput = "20 of 20 answered 200",
            OnFailure = StepFailurePolicy.Retry, RetryCount = 2, Timeout = TimeSpan.FromSeconds(10),
        },
    ]);

    public static async Task<RunbookOutcome> RunAsync(WebApplication app, HttpClient client, string incidentId, string responder, CancellationToken cancellationToken)
    {
        Chaos chaos = app.Services.GetRequiredService<Chaos>();
        var executor = new DelegateStepExecutor(new Dictionary<string, Func<RunbookStepContext, CancellationToken, Task<StepOutcome>>>
        {
            ["check-ready"] = async (_, ct) =>
            {
                using HttpResponseMessage ready = await client.GetAsync("health/ready", ct);
                return ready.StatusCode == HttpStatusCode.OK
                    ? StepOutcome.Success("200")
                    : StepOutcome.Failure($"/health/ready answered {(int)ready.StatusCode}");
            },
            ["disable"] = (_, _) =>
            {
                chaos.DisableFlaky();
                return Task.FromResult(StepOutcome.Success("flaky dependency off"));
            },
            ["verify"] = async (_, ct) =>
            {
                int ok = 0;
                for (int i = 0; i < 20; i++)
                {
                    using HttpResponseMessage response = await client.GetAsync("api/flaky", ct);
                    ok += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
                }

                string output = $"{ok} of 20 answered 200";
                return ok == 20 ? StepOutcome.Success(output) : StepOutcome.Failure(output);
            },
        });

        var runner = new RunbookRunner(executor, app.Services.GetRequiredService<TimeProvider>(), app.Services.GetRequiredService<IIncidentStore>());
        RunbookExecution run = runner.Start(Runbook, startedBy: responder, incidentId: incidentId, cancellationToken);
        await run.WaitForPersonAsync(cancellationToken);   // the switch needs a confirmation
        run.Confirm("disable", responder);
        RunbookExecutionStatus status = await run.Completion.WaitAsync(cancellationToken);
        return new RunbookOutcome(status == RunbookExecutionStatus.Succeeded,
            $"{Runbook.Id} v{Runbook.Version}: {status}, {run.ProgressPercent:0}% of {Runbook.Steps.Length} steps, confirmed by {responder}");
    }
}
