using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring.Incidents;

namespace Musubi.Monitoring.Incidents.Tests.Escalation;

/// <summary>The README example, compiled and run against a loopback webhook.</summary>
public sealed class UsageExampleTests
{
    public static async Task<Incident> Example(Uri webhook, TimeProvider time)
    {
        var ops = new OnCallSchedule("ops", "Ops", "Europe/Berlin", [
            ScheduleLayer.Weekly("primary", ["ana", "ben", "cleo"], new DateTime(2026, 1, 5, 9, 0, 0)),
            ScheduleLayer.Daily("nights", ["nina", "omar"], new DateTime(2026, 1, 5, 20, 0, 0),
                [TimeRestriction.Daily(new TimeOnly(20, 0), new TimeOnly(8, 0))]),
        ]);
        OnCallAssignment? who = ops.WhoIsOnCall(time.GetUtcNow()); // user, and the layer or override

        var policy = new EscalationPolicy("default", "Default", [
            new EscalationLevel([EscalationTarget.Schedule("ops")], TimeSpan.FromMinutes(5)),
            new EscalationLevel([EscalationTarget.User("lead")], TimeSpan.FromMinutes(15)),
        ], repeatCount: 2);

        using var http = new HttpClient();
        var notifier = new WebhookIncidentNotifier(http, new WebhookNotifierOptions { Endpoint = webhook }, time);
        var store = new InMemoryIncidentStore();
        using var engine = new EscalationEngine(notifier, time, [ops], store);

        Incident incident = await store.AddAsync(Incident.Open("INC-42", "Checkout 5xx", Severity.Sev2, time.GetUtcNow(), "alertmanager"));
        await engine.StartAsync(incident, policy); // pages whoever ops has on call now; the lead 5 minutes later
        // An acknowledgement saved in the store stops the escalation before the next level (re-read first: the
        // engine wrote the page into the timeline, so the copy above is a version behind):
        Incident current = (await store.GetAsync("INC-42"))!;
        return await store.UpdateAsync(current.Acknowledge("ana", time.GetUtcNow()));
    }

    [Fact]
    public async Task Example_RunsAndPagesTheOnCallUserOnce()
    {
        await using var server = new WebhookServer(200);
        // Wednesday 14 January 2026, 23:00 CET: the second night (omar) and the second week (ben).
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 14, 22, 0, 0, TimeSpan.Zero));

        Incident incident = await Example(server.Url, time);

        Assert.Equal("ana", incident.AcknowledgedBy);
        Assert.Contains("\"recipients\":[\"omar\"]", Assert.Single(server.Requests).Body, StringComparison.Ordinal);
        Assert.Single(incident.Timeline, e => e.Kind == "escalation");
    }
}
