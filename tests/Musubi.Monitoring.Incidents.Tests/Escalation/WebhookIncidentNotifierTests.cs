using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring.Incidents;

namespace Musubi.Monitoring.Incidents.Tests.Escalation;

public sealed class WebhookIncidentNotifierTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 29, 2, 30, 0, TimeSpan.FromHours(2));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IncidentNotification Notification() =>
        new("INC-1", "Checkout \"5xx\" — 3,5 % errors", Severity.Sev2, "default", 2, 1, ["ana", "ben"], T0);

    private static WebhookNotifierOptions Options(Uri endpoint, int maxRetries = 3) => new()
    {
        Endpoint = endpoint,
        MaxRetries = maxRetries,
        RetryDelay = TimeSpan.Zero,
        AttemptTimeout = TimeSpan.FromSeconds(5),
    };

    [Fact]
    public async Task NotifyAsync_ServerAccepts_PostsInvariantJsonOnce()
    {
        await using var server = new WebhookServer(204);
        using var http = new HttpClient();
        var notifier = new WebhookIncidentNotifier(http, Options(server.Url), TimeProvider.System);
        CultureInfo culture = CultureInfo.CurrentCulture;
        NotificationResult result;
        try
        {
            // A culture with a decimal comma, its own digits in dates and a different calendar must not leak into the JSON.
            CultureInfo.CurrentCulture = new CultureInfo("ar-SA");
            result = await notifier.NotifyAsync(Notification(), Ct);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }

        Assert.Equal(NotificationResult.Success(1), result);
        var request = Assert.Single(server.Requests);
        Assert.Equal("application/json; charset=utf-8", request.ContentType);
        Assert.Equal("INC-1/1/2", request.IdempotencyKey);
        using JsonDocument json = JsonDocument.Parse(request.Body);
        JsonElement root = json.RootElement;
        Assert.Equal("INC-1", root.GetProperty("incidentId").GetString());
        Assert.Equal("Checkout \"5xx\" — 3,5 % errors", root.GetProperty("title").GetString());
        Assert.Equal("SEV2", root.GetProperty("severity").GetString());
        Assert.Equal("default", root.GetProperty("policyId").GetString());
        Assert.Equal(2, root.GetProperty("level").GetInt32());
        Assert.Equal(1, root.GetProperty("round").GetInt32());
        Assert.Equal(["ana", "ben"], root.GetProperty("recipients").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("\"at\":\"2026-03-29T00:30:00+00:00\"", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyAsync_ServerErrorThenSuccess_RetriesWithTheSameBodyAndKey()
    {
        await using var server = new WebhookServer(500, 200);
        using var http = new HttpClient();
        var logger = new ListLogger<WebhookIncidentNotifier>();
        var notifier = new WebhookIncidentNotifier(http, Options(server.Url), TimeProvider.System, logger);

        NotificationResult result = await notifier.NotifyAsync(Notification(), Ct);

        Assert.Equal(NotificationResult.Success(2), result);
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(server.Requests[0], server.Requests[1]);
        var warning = Assert.Single(logger.Entries);
        Assert.Contains("attempt 1 of 4", warning.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 500", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyAsync_BadRequest_IsNotRetried()
    {
        await using var server = new WebhookServer(400, 200);
        using var http = new HttpClient();
        var notifier = new WebhookIncidentNotifier(http, Options(server.Url), TimeProvider.System);

        NotificationResult result = await notifier.NotifyAsync(Notification(), Ct);

        Assert.False(result.Delivered);
        Assert.Equal(1, result.Attempts);
        Assert.StartsWith("HTTP 400", result.Error, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task NotifyAsync_ServerKeepsFailing_GivesUpAfterMaxRetriesWithoutThrowing()
    {
        await using var server = new WebhookServer(503, 503, 503);
        using var http = new HttpClient();
        var notifier = new WebhookIncidentNotifier(http, Options(server.Url, maxRetries: 2), TimeProvider.System);

        NotificationResult result = await notifier.NotifyAsync(Notification(), Ct);

        Assert.Equal((false, 3), (result.Delivered, result.Attempts));
        Assert.StartsWith("HTTP 503", result.Error, StringComparison.Ordinal);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task NotifyAsync_NoResponseWithinAttemptTimeout_TimesOutOnTheTimeProviderAndRetries()
    {
        await using var server = new WebhookServer(WebhookServer.Hang, 200);
        using var http = new HttpClient();
        var time = new FakeTimeProvider(T0);
        var notifier = new WebhookIncidentNotifier(http, Options(server.Url, maxRetries: 1), time);

        Task<NotificationResult> sending = notifier.NotifyAsync(Notification(), Ct);
        await server.WaitForRequestsAsync(1, Ct);
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(sending.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        NotificationResult result = await sending.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(NotificationResult.Success(2), result);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task NotifyAsync_NoResponseAndNoRetries_ReportsTheTimeout()
    {
        await using var server = new WebhookServer(WebhookServer.Hang);
        using var http = new HttpClient();
        var time = new FakeTimeProvider(T0);
        var notifier = new WebhookIncidentNotifier(http, Options(server.Url, maxRetries: 0), time);

        Task<NotificationResult> sending = notifier.NotifyAsync(Notification(), Ct);
        await server.WaitForRequestsAsync(1, Ct);
        time.Advance(TimeSpan.FromSeconds(5));
        NotificationResult result = await sending.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(NotificationResult.Failure(1, "no response within 00:00:05"), result);
    }

    [Fact]
    public async Task NotifyAsync_NothingListening_ReportsTheNetworkErrorAfterRetrying()
    {
        Uri closed;
        await using (var server = new WebhookServer())
        {
            closed = server.Url;
        }

        using var http = new HttpClient();
        var notifier = new WebhookIncidentNotifier(http, Options(closed, maxRetries: 1), TimeProvider.System);

        NotificationResult result = await notifier.NotifyAsync(Notification(), Ct);

        Assert.Equal((false, 2), (result.Delivered, result.Attempts));
        Assert.StartsWith("HttpRequestException", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyAsync_Retries_BackOffExponentiallyOnTheTimeProvider()
    {
        var time = new FakeTimeProvider(T0);
        var handler = new ScriptedHandler(time, HttpStatusCode.ServiceUnavailable, HttpStatusCode.TooManyRequests, HttpStatusCode.OK);
        using var http = new HttpClient(handler);
        var options = new WebhookNotifierOptions { Endpoint = new Uri("http://127.0.0.1:9/hook"), RetryDelay = TimeSpan.FromSeconds(1) };
        var notifier = new WebhookIncidentNotifier(http, options, time);

        Task<NotificationResult> sending = notifier.NotifyAsync(Notification(), Ct);
        for (int i = 0; i < 10_000 && !sending.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Yield();
        }

        Assert.Equal(NotificationResult.Success(3), await sending);
        Assert.Equal(3, handler.Times.Count);
        Assert.True(handler.Times[1] - handler.Times[0] >= TimeSpan.FromSeconds(1));
        Assert.True(handler.Times[2] - handler.Times[1] >= TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task NotifyAsync_ManyRetries_BackOffIsCappedAtOneMinute()
    {
        var time = new FakeTimeProvider(T0);
        var handler = new ScriptedHandler(time, HttpStatusCode.BadGateway, HttpStatusCode.BadGateway, HttpStatusCode.BadGateway, HttpStatusCode.OK);
        using var http = new HttpClient(handler);
        var options = new WebhookNotifierOptions { Endpoint = new Uri("http://127.0.0.1:9/hook"), RetryDelay = TimeSpan.FromSeconds(40) };
        var notifier = new WebhookIncidentNotifier(http, options, time);

        Task<NotificationResult> sending = notifier.NotifyAsync(Notification() with { IncidentId = "INC-ü 1" }, Ct);
        for (int i = 0; i < 10_000 && !sending.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }

        Assert.Equal(NotificationResult.Success(4), await sending);
        TimeSpan[] waits = [.. handler.Times.Zip(handler.Times.Skip(1), (a, b) => b - a)];
        Assert.InRange(waits[0], TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(59));
        Assert.InRange(waits[1], TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(79));
        Assert.InRange(waits[2], TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(79));
        Assert.Equal(["INC-%C3%BC%201/1/2"], handler.Keys.Distinct());
    }

    [Fact]
    public async Task NotifyAsync_HandlerThrowsUnexpectedly_ReturnsAFailureInsteadOfThrowing()
    {
        using var http = new HttpClient(new ThrowingHandler());
        var notifier = new WebhookIncidentNotifier(http, Options(new Uri("http://127.0.0.1:9/hook")), TimeProvider.System);

        NotificationResult result = await notifier.NotifyAsync(Notification(), Ct);

        Assert.Equal(NotificationResult.Failure(1, "InvalidOperationException: misconfigured"), result);
    }

    [Fact]
    public void Options_Defaults_AreDocumentedValues()
    {
        var options = new WebhookNotifierOptions();

        Assert.Null(options.Endpoint);
        Assert.Equal(TimeSpan.FromSeconds(10), options.AttemptTimeout);
        Assert.Equal(3, options.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(1), options.RetryDelay);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsNamingEachBadValue()
    {
        using var http = new HttpClient();
        var options = new WebhookNotifierOptions
        {
            Endpoint = new Uri("ftp://example.org/hook"),
            AttemptTimeout = TimeSpan.Zero,
            MaxRetries = 11,
            RetryDelay = TimeSpan.FromMinutes(2),
        };

        OptionsValidationException error = Assert.Throws<OptionsValidationException>(() => new WebhookIncidentNotifier(http, options, TimeProvider.System));

        Assert.Equal(4, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.Contains("'ftp://example.org/hook'", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("AttemptTimeout is 00:00:00", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("MaxRetries is 11", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("RetryDelay is 00:02:00", StringComparison.Ordinal));
        Assert.Throws<OptionsValidationException>(() => new WebhookIncidentNotifier(http, new WebhookNotifierOptions(), TimeProvider.System));
        Assert.Throws<OptionsValidationException>(() => new WebhookIncidentNotifier(http, new WebhookNotifierOptions { Endpoint = new Uri("/relative", UriKind.Relative) }, TimeProvider.System));
        Assert.Throws<ArgumentNullException>(() => new WebhookIncidentNotifier(null!, Options(new Uri("http://127.0.0.1/")), TimeProvider.System));
    }

    [Fact]
    public async Task Engine_WithWebhookNotifier_PostsEachLevel()
    {
        await using var server = new WebhookServer(200, 200);
        using var http = new HttpClient();
        var time = new FakeTimeProvider(T0);
        using var engine = new EscalationEngine(new WebhookIncidentNotifier(http, Options(server.Url), time), time);
        var policy = new EscalationPolicy("p", "P", [
            new EscalationLevel([EscalationTarget.User("ana")], TimeSpan.FromMinutes(5)),
            new EscalationLevel([EscalationTarget.User("ben")], TimeSpan.FromMinutes(5)),
        ]);

        await engine.StartAsync(Incident.Open("INC-9", "Queue stuck", Severity.Sev3, T0, "alertmanager"), policy, Ct);
        await server.WaitForRequestsAsync(1, Ct);
        time.Advance(TimeSpan.FromMinutes(5));
        await server.WaitForRequestsAsync(1, Ct);

        Assert.Equal(["ana", "ben"], server.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("recipients")[0].GetString()));
    }

    private sealed class ScriptedHandler(TimeProvider time, params HttpStatusCode[] replies) : HttpMessageHandler
    {
        private int _next;

        public List<DateTimeOffset> Times { get; } = [];

        public List<string> Keys { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Times.Add(time.GetUtcNow());
            Keys.Add(string.Join(",", request.Headers.GetValues("Idempotency-Key")));
            return Task.FromResult(new HttpResponseMessage(replies[_next++]));
        }
    }

    private sealed class ThrowingHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("misconfigured");
    }
}
