using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Musubi.Monitoring.Incidents;
using Musubi.Monitoring.Slo;

namespace Musubi.Monitoring.Snippets;

/// <summary>The README's incident examples.</summary>
public static class IncidentSnippets
{
    public static void Wiring(string[] args, ServiceLevelObjective availability)
    {
        // begin-snippet: incidents-wiring
        WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
        builder.Services.AddMusubiMonitoring(o => o.ServiceName = "checkout")
            .AddSlo(availability)                          // an SLO (see above): its page alert opens a SEV2 incident
            .AddIncidents(o =>
            {
                o.Alertmanager.SeverityMap["critical"] = Severity.Sev1;   // label severity="critical" → SEV1
                o.Alertmanager.Grouping = AlertGrouping.PerAlert;        // one incident per alert (the default)
            })
            .UseSqlite("Data Source=data/musubi.db");       // WAL, migrations; without it incidents live in memory

        WebApplication app = builder.Build();
        app.MapAlertmanagerWebhook("/alerts/alertmanager", o => o.BearerToken = builder.Configuration["Alertmanager:Token"]);
        app.Run();
        // end-snippet
    }

    public static async Task WorkAnIncident(WebApplication app)
    {
        // begin-snippet: incidents-work
        IncidentService incidents = app.Services.GetRequiredService<IncidentService>();
        Incident incident = await incidents.OpenAsync("Checkout answers 5xx", Severity.Sev2, actor: "ana");
        await incidents.AcknowledgeAsync(incident.Id, "ana");                       // once; a second one throws
        await incidents.TransitionAsync(incident.Id, IncidentStatus.Investigating, "ana");
        await incidents.ChangeAsync(incident.Id, (i, now) => i
            .WithCommander("ana", "ana", now)
            .WithResponder("ben", "ana", now)
            .WithDetails("ana", now, rootCause: "retry budget set to 0", affectedServices: ["checkout", "payments"]));
        await incidents.TransitionAsync(incident.Id, IncidentStatus.Mitigating, "ben", "rolling back 4521");
        await incidents.TransitionAsync(incident.Id, IncidentStatus.Monitoring, "ben");   // sets MitigatedAt
        await incidents.TransitionAsync(incident.Id, IncidentStatus.Resolved, "ana");     // sets ResolvedAt
        await incidents.ReopenAsync(incident.Id, "ben", reason: "errors are back");     // → Investigating, counted
        await incidents.TransitionAsync(incident.Id, IncidentStatus.Resolved, "ben");
        await incidents.TransitionAsync(incident.Id, IncidentStatus.Closed, "ana");       // final: no more changes

        IncidentPage open = await incidents.ListAsync(new IncidentQuery { Open = true, Severity = Severity.Sev1, Take = 20 });
        (IncidentFigures all, IReadOnlyDictionary<Severity, IncidentFigures> bySeverity) =
            await incidents.GetFiguresAsync(from: DateTimeOffset.UtcNow.AddDays(-30));
        Console.WriteLine($"MTTA {all.TimeToAcknowledge.Mean}, MTTR {all.TimeToResolve.Mean} (p90 {all.TimeToResolve.P90})");
        // end-snippet
        _ = (open, bySeverity);
    }

    public static void OnCall(IServiceCollection services)
    {
        // begin-snippet: incidents-oncall
        var ops = new OnCallSchedule("ops", "Ops", "Europe/Berlin",
        [
            ScheduleLayer.Weekly("primary", ["ana", "ben", "cleo"], new DateTime(2026, 1, 5, 9, 0, 0)),   // Mondays 09:00 Berlin
            ScheduleLayer.Daily("nights", ["nina", "omar"], new DateTime(2026, 1, 5, 20, 0, 0),
                [TimeRestriction.Daily(new TimeOnly(20, 0), new TimeOnly(8, 0))]),                       // a later layer wins
        ]);
        ops = ops.WithOverride(new ScheduleOverride("dan", DateTimeOffset.Parse("2026-12-24T00:00:00+01:00", System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.Parse("2026-12-27T00:00:00+01:00", System.Globalization.CultureInfo.InvariantCulture)));   // an override wins over every layer
        OnCallAssignment? now = ops.WhoIsOnCall(TimeProvider.System.GetUtcNow());                  // user, layer or override

        var policy = new EscalationPolicy("default", "Default",
        [
            new EscalationLevel([EscalationTarget.Schedule("ops")], TimeSpan.FromMinutes(5)),      // whoever is on call
            new EscalationLevel([EscalationTarget.User("lead")], TimeSpan.FromMinutes(15)),       // if nobody acknowledged in 5 min
        ], repeatCount: 2);

        services.AddMusubiMonitoring()
            .AddIncidents()
            .AddOnCallSchedule(ops)
            .AddWebhookIncidentNotifier(o => o.Endpoint = new Uri("https://pager.example/hook"))  // POSTs JSON, retries 5xx
            .AddLoggingIncidentNotifier()
            .AddEscalation(policy, pageUpTo: Severity.Sev2);   // SEV1 and SEV2 incidents page until acknowledged (default SEV3)
        // end-snippet
        _ = now;
    }

    public static async Task PostMortemAndRunbook(IServiceProvider services, Incident incident)
    {
        TimeProvider time = TimeProvider.System;
        static Task<StepOutcome> Kubectl(string command, CancellationToken ct) => Task.FromResult(StepOutcome.Success("ok: " + command));

        // begin-snippet: incidents-runbook
        // time is a TimeProvider; Kubectl(command, ct) is yours, returning Task<StepOutcome> (StepOutcome.Success("…") or .Failure("…")).
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
        var runner = new RunbookRunner(executor, time, services.GetRequiredService<IIncidentStore>());
        RunbookExecution run = runner.Start(catalog.Get("restart-api"), startedBy: "ana", incidentId: incident.Id);

        await run.WaitForPersonAsync();               // "restart" needs a confirmation
        run.Confirm("restart", "ana");
        await run.WaitForPersonAsync();               // "verify" is done by hand
        run.CompleteStep("verify", "ana", "0.2% 5xx");
        RunbookExecutionStatus status = await run.Completion;   // Succeeded; each step is in the incident's timeline
        // end-snippet
        _ = status;

        // begin-snippet: incidents-postmortem
        PostMortem postMortem = PostMortem.FromIncident(incident, time.GetUtcNow(), author: "ana")   // a resolved incident
            .Edit("ana", time.GetUtcNow(),
                trigger: "Deploy 4521 turned the retry budget to 0.",
                lessonsLearned: new LessonsLearned { WentWell = ["The alert fired within 2 minutes."] })
            .AddActionItem(new ActionItem("Canary stage for config flags", ActionItemType.Prevent,
                owner: "team-payments", dueDate: new DateOnly(2026, 12, 18)), "ana", time.GetUtcNow())
            .TransitionTo(PostMortemStatus.InReview, "ana", time.GetUtcNow());

        if (postMortem.MissingForPublication.IsEmpty)
        {
            postMortem = postMortem.TransitionTo(PostMortemStatus.Published, "reviewer", time.GetUtcNow());
        }

        File.WriteAllText($"postmortem-{incident.Id}.md", postMortem.ToMarkdown());   // user text escaped, tables intact
        File.WriteAllText($"postmortem-{incident.Id}.json", postMortem.ToJson());     // PostMortem.FromJson reads it back
        // end-snippet
    }
}
