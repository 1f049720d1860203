using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Musubi.Monitoring.Incidents;

namespace Musubi.Monitoring.Sample;

/// <summary>
/// The fault scenario: the SLO page alert of /api/flaky has opened an incident; Alertmanager posts a second alert
/// (twice, as it resends); whoever is on call acknowledges, a runbook mitigates, the incidents are resolved, and the
/// post-mortem is written to <c>artifacts/postmortem-&lt;id&gt;.md</c>. Everything is kept in <c>artifacts/musubi.db</c>.
/// </summary>
internal static class IncidentScenario
{
    public static async Task<Result> RunAsync(WebApplication app, HttpClient client, DateTimeOffset runStarted, CancellationToken cancellationToken)
    {
        IncidentService incidents = app.Services.GetRequiredService<IncidentService>();
        TimeProvider time = app.Services.GetRequiredService<TimeProvider>();

        // 1. The in-process SLO monitor paged for /api/flaky, and the page opened an incident (and escalated it).
        Incident? fromSlo = await incidents.Store.FindByAlertKeyAsync(SampleIncidents.FlakyPageAlertKey, cancellationToken);
        if (fromSlo is null || !fromSlo.IsOpen)
        {
            return Result.Failed("the SLO page alert of /api/flaky opened no incident");
        }

        // 2. Alertmanager posts a firing alert, then resends it: one incident.
        DateTimeOffset startsAt = time.GetUtcNow();
        byte[] firing = AlertmanagerNotification("firing", startsAt, endsAt: null);
        (HttpStatusCode firstStatus, JsonNode? first) = await PostAsync(client, firing, cancellationToken);
        (HttpStatusCode resendStatus, JsonNode? resend) = await PostAsync(client, firing, cancellationToken);
        (HttpStatusCode unauthenticated, _) = await PostAsync(client, firing, cancellationToken, token: null);
        string? fromAlertmanager = first?["opened"]?.AsArray().SingleOrDefault()?.GetValue<string>();
        if (firstStatus != HttpStatusCode.OK || fromAlertmanager is null || resendStatus != HttpStatusCode.OK
            || resend?["unchanged"]?.GetValue<int>() != 1 || unauthenticated != HttpStatusCode.Unauthorized)
        {
            return Result.Failed($"the Alertmanager webhook answered {firstStatus} {first?.ToJsonString()}, then {resendStatus} {resend?.ToJsonString()}, and {unauthenticated} without a token");
        }

        // 3. Whoever is on call now acknowledges both; the escalation stops.
        OnCallAssignment? onCall = SampleIncidents.Schedule.WhoIsOnCall(time.GetUtcNow());
        string responder = onCall?.User ?? "incident-lead";
        await incidents.AcknowledgeAsync(fromSlo.Id, responder, cancellationToken);
        await incidents.AcknowledgeAsync(fromAlertmanager, responder, cancellationToken);
        await incidents.ChangeAsync(fromSlo.Id, (i, now) => i.WithCommander(responder, responder, now), cancellationToken);
        await incidents.TransitionAsync(fromSlo.Id, IncidentStatus.Investigating, responder, cancellationToken: cancellationToken);
        await incidents.TransitionAsync(fromSlo.Id, IncidentStatus.Identified, responder, "The flaky dependency fails about one call in five.", cancellationToken);

        // 4. The runbook switches the flaky dependency off and checks that /api/flaky recovers.
        await incidents.TransitionAsync(fromSlo.Id, IncidentStatus.Mitigating, responder, cancellationToken: cancellationToken);
        RunbookOutcome runbook = await SampleRunbook.RunAsync(app, client, fromSlo.Id, responder, cancellationToken);
        if (!runbook.Succeeded)
        {
            return Result.Failed("the runbook did not succeed: " + runbook.Text);
        }

        await incidents.TransitionAsync(fromSlo.Id, IncidentStatus.Monitoring, responder, "Runbook done; /api/flaky answers 200 again.", cancellationToken);
        await incidents.ChangeAsync(fromSlo.Id, (i, now) => i.WithDetails(responder, now,
            rootCause: "The flaky dependency failed about one call in five, against a 99.9% availability objective.",
            resolution: "Switched the flaky dependency off with the runbook 'disable-flaky-dependency'.",
            customerImpact: "About 20% of GET /api/flaky calls answered 500 until mitigation.",
            tags: ["demo", "slo"]), cancellationToken);
        Incident resolvedSlo = await incidents.TransitionAsync(fromSlo.Id, IncidentStatus.Resolved, responder, "Burn stopped.", cancellationToken);

        // 5. Alertmanager says its alert resolved: that incident resolves by itself.
        (HttpStatusCode resolvedStatus, JsonNode? resolved) = await PostAsync(
            client, AlertmanagerNotification("resolved", startsAt, endsAt: time.GetUtcNow()), cancellationToken);
        if (resolvedStatus != HttpStatusCode.OK || resolved?["resolved"]?.AsArray().SingleOrDefault()?.GetValue<string>() != fromAlertmanager)
        {
            return Result.Failed($"the resolved notification answered {resolvedStatus} {resolved?.ToJsonString()}");
        }

        // 6. The post-mortem, from the incident, reviewed and published.
        PostMortem postMortem = PostMortem.FromIncident(resolvedSlo, time.GetUtcNow(), responder)
            .Edit(responder, time.GetUtcNow(),
                trigger: "The demo's traffic reached /api/flaky, whose dependency fails one call in five by design.",
                lessonsLearned: new LessonsLearned
                {
                    WentWell = ["The in-process SLO monitor paged within its first evaluation.", "The runbook mitigated without a deploy."],
                    WentWrong = ["The dependency had no circuit breaker."],
                    GotLucky = ["It happened in a demo."],
                })
            .AddActionItem(new ActionItem("Put a circuit breaker in front of the flaky dependency", ActionItemType.Prevent,
                "team-sample", DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime.AddDays(14))), responder, time.GetUtcNow())
            .AddActionItem(new ActionItem("Keep the runbook step that checks /api/flaky", ActionItemType.Process,
                "team-sample", DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime.AddDays(7))), responder, time.GetUtcNow())
            .TransitionTo(PostMortemStatus.InReview, responder, time.GetUtcNow())
            .TransitionTo(PostMortemStatus.Published, "incident-lead", time.GetUtcNow());
        string postMortemPath = Path.Combine("artifacts", $"postmortem-{resolvedSlo.Id}.md");
        await File.WriteAllTextAsync(postMortemPath, postMortem.ToMarkdown(), cancellationToken);

        // 7. The numbers, from everything in the database (this run's incidents and earlier runs').
        (IncidentFigures figures, _) = await incidents.GetFiguresAsync(time.GetUtcNow().AddDays(-365), cancellationToken: cancellationToken);
        IncidentPage all = await incidents.ListAsync(new IncidentQuery { Take = 8 }, cancellationToken);
        int earlier = (await incidents.ListAsync(new IncidentQuery { Take = 1000 }, cancellationToken)).Items.Count(i => i.DetectedAt < runStarted);
        return new Result(null, (await incidents.GetAsync(fromSlo.Id, cancellationToken))!, (await incidents.GetAsync(fromAlertmanager, cancellationToken))!,
            onCall, runbook, postMortemPath, figures, all, earlier);
    }

    /// <summary>A notification as Alertmanager sends it (webhook payload version 4), for one alert.</summary>
    private static byte[] AlertmanagerNotification(string status, DateTimeOffset startsAt, DateTimeOffset? endsAt)
    {
        var alert = new JsonObject
        {
            ["status"] = status,
            ["labels"] = new JsonObject { ["alertname"] = "SlowEndpoint", ["severity"] = "warning", ["service"] = SampleMonitoring.Service, ["route"] = "/api/slow" },
            ["annotations"] = new JsonObject { ["summary"] = "p95 latency of /api/slow is above 250 ms", ["runbook_url"] = "https://runbooks.example/slow-endpoint" },
            ["startsAt"] = startsAt.ToString("O", CultureInfo.InvariantCulture),
            ["endsAt"] = (endsAt ?? DateTimeOffset.MinValue).ToString("O", CultureInfo.InvariantCulture),
            ["generatorURL"] = "http://prometheus.example:9090/graph",
            ["fingerprint"] = "5a3f0c9e1b2d4e6f",
        };
        var notification = new JsonObject
        {
            ["version"] = "4",
            ["groupKey"] = "{}:{alertname=\"SlowEndpoint\"}",
            ["truncatedAlerts"] = 0,
            ["status"] = status,
            ["receiver"] = "musubi-sample",
            ["groupLabels"] = new JsonObject { ["alertname"] = "SlowEndpoint" },
            ["commonLabels"] = new JsonObject { ["alertname"] = "SlowEndpoint", ["severity"] = "warning" },
            ["commonAnnotations"] = new JsonObject(),
            ["externalURL"] = "http://alertmanager.example:9093",
            ["alerts"] = new JsonArray(alert),
        };
        return Encoding.UTF8.GetBytes(notification.ToJsonString());
    }

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(
        HttpClient client, byte[] body, CancellationToken cancellationToken, string? token = "")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, SampleIncidents.WebhookPath.TrimStart('/')) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Length == 0 ? SampleIncidents.WebhookToken : token);
        }

        using HttpResponseMessage response = await client.SendAsync(request, cancellationToken);
        string text = await response.Content.ReadAsStringAsync(cancellationToken);
        return (response.StatusCode, JsonNode.Parse(text));
    }

    /// <summary>What the scenario did; <see cref="Problem"/> is set when something did not happen as it should.</summary>
    public sealed record Result(
        string? Problem,
        Incident? FromSlo,
        Incident? FromAlertmanager,
        OnCallAssignment? OnCall,
        RunbookOutcome? Runbook,
        string? PostMortemPath,
        IncidentFigures? Figures,
        IncidentPage? Recent,
        int EarlierRuns)
    {
        public static Result Failed(string problem) => new(problem, null, null, null, null, null, null, null, 0);
    }
}

/// <summary>How the runbook went, for the summary.</summary>
internal sealed record RunbookOutcome(bool Succeeded, string Text);
