using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Musubi.Monitoring.AspNetCore.Tests.Support;
using Musubi.Monitoring.Incidents;

namespace Musubi.Monitoring.AspNetCore.Tests.AlertmanagerWebhook;

public sealed class MapAlertmanagerWebhookTests
{
    private const string Token = "s3cret-token";
    private const string Path = "alerts/alertmanager";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] Payload(string name) =>
        File.ReadAllBytes(System.IO.Path.Combine(AppContext.BaseDirectory, "Alerting", "Payloads", name + ".json"));

    private static Task<KestrelHost> StartAsync(Action<AlertmanagerWebhookOptions>? configure = null, IIncidentStore? store = null, Action<IncidentOptions>? incidents = null) =>
        KestrelHost.StartAsync(
            app => app.MapAlertmanagerWebhook(configure: configure ?? (o => o.BearerToken = Token)),
            services =>
            {
                if (store is not null)
                {
                    services.AddSingleton(store);
                }

                services.AddMusubiMonitoring().AddIncidents(incidents);
            });

    private static async Task<(HttpStatusCode Status, JsonElement Json, HttpResponseMessage Response)> PostAsync(
        KestrelHost host, byte[] body, string? token = Token, Action<HttpRequestMessage>? change = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        change?.Invoke(request);
        HttpResponseMessage response = await host.Client.SendAsync(request, Ct);
        string text = await response.Content.ReadAsStringAsync(Ct);
        using JsonDocument json = JsonDocument.Parse(text);
        return (response.StatusCode, json.RootElement.Clone(), response);
    }

    private static async Task<IReadOnlyList<Incident>> IncidentsAsync(KestrelHost host, bool? open = null) =>
        (await host.App.Services.GetRequiredService<IIncidentStore>().ListAsync(new IncidentQuery { Open = open }, Ct)).Items;

    private static string[] Ids(JsonElement json, string name) => [.. json.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];

    [Fact]
    public async Task Firing_OpensOneIncidentPerAlert()
    {
        await using KestrelHost host = await StartAsync();

        (HttpStatusCode status, JsonElement json, _) = await PostAsync(host, Payload("firing-group"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, json.GetProperty("alerts").GetInt32());
        Assert.Equal(2, Ids(json, "opened").Length);
        IReadOnlyList<Incident> open = await IncidentsAsync(host, open: true);
        Assert.Equal(2, open.Count);
        Assert.All(open, i => Assert.Equal(Severity.Sev1, i.Severity));
        Assert.All(open, i => Assert.Equal("CheckoutErrors: Checkout answers 5xx", i.Title));
    }

    [Fact]
    public async Task Resend_CreatesNothingNew()
    {
        await using KestrelHost host = await StartAsync();
        await PostAsync(host, Payload("firing-group"));

        (HttpStatusCode status, JsonElement json, _) = await PostAsync(host, Payload("firing-group"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(Ids(json, "opened"));
        Assert.Equal(2, json.GetProperty("unchanged").GetInt32());
        Assert.Equal(2, (await IncidentsAsync(host)).Count);
    }

    [Fact]
    public async Task OneResolvedAlertInAFiringGroup_ResolvesOnlyItsIncident()
    {
        await using KestrelHost host = await StartAsync();
        (_, JsonElement opened, _) = await PostAsync(host, Payload("firing-group"));
        string[] ids = Ids(opened, "opened");

        (HttpStatusCode status, JsonElement json, _) = await PostAsync(host, Payload("one-resolved-in-firing-group"));
        (_, JsonElement resent, _) = await PostAsync(host, Payload("one-resolved-in-firing-group"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([ids[0]], Ids(json, "resolved"));
        Assert.Empty(Ids(resent, "resolved"));
        IIncidentStore store = host.App.Services.GetRequiredService<IIncidentStore>();
        Assert.Equal(IncidentStatus.Resolved, (await store.GetAsync(ids[0], Ct))!.Status);
        Assert.Equal(IncidentStatus.Detected, (await store.GetAsync(ids[1], Ct))!.Status);

        (_, JsonElement all, _) = await PostAsync(host, Payload("all-resolved"));
        Assert.Equal([ids[1]], Ids(all, "resolved"));
        Assert.Empty(await IncidentsAsync(host, open: true));
    }

    [Fact]
    public async Task PerGroup_OneIncidentForTheGroupResolvedWhenAllResolve()
    {
        await using KestrelHost host = await StartAsync(incidents: o => o.Alertmanager.Grouping = AlertGrouping.PerGroup);

        await PostAsync(host, Payload("firing-group"));
        await PostAsync(host, Payload("one-resolved-in-firing-group"));
        Assert.Single(await IncidentsAsync(host, open: true));
        await PostAsync(host, Payload("all-resolved"));

        Incident incident = Assert.Single(await IncidentsAsync(host));
        Assert.Equal(IncidentStatus.Resolved, incident.Status);
    }

    [Fact]
    public async Task UnknownAndMissingFields_AreIgnored()
    {
        await using KestrelHost host = await StartAsync();

        (HttpStatusCode status, JsonElement json, _) = await PostAsync(host, Payload("unknown-and-missing-fields"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Single(Ids(json, "opened"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-token")]
    [InlineData("")]
    public async Task NoOrWrongToken_Is401AndChangesNothing(string? token)
    {
        await using KestrelHost host = await StartAsync();

        (HttpStatusCode status, JsonElement json, HttpResponseMessage response) = await PostAsync(host, Payload("firing-group"), token);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Contains("bearer token or signature", json.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(await IncidentsAsync(host));
    }

    [Fact]
    public async Task HmacSignature_ValidIsAcceptedAndAnyOtherIs401()
    {
        const string Secret = "hmac-secret";
        await using KestrelHost host = await StartAsync(o => o.HmacSecret = Secret);
        byte[] body = Payload("firing-group");
        string signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), body));
        string tampered = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), body.Append((byte)' ').ToArray()));

        (HttpStatusCode wrong, _, _) = await PostAsync(host, body, token: null, r => r.Headers.Add("X-Musubi-Signature", tampered));
        (HttpStatusCode garbage, _, _) = await PostAsync(host, body, token: null, r => r.Headers.Add("X-Musubi-Signature", "sha256=zz"));
        (HttpStatusCode missing, _, _) = await PostAsync(host, body, token: null);
        (HttpStatusCode bearerNotConfigured, _, _) = await PostAsync(host, body, token: Secret);
        Assert.Empty(await IncidentsAsync(host));
        (HttpStatusCode valid, _, _) = await PostAsync(host, body, token: null, r => r.Headers.Add("X-Musubi-Signature", signature));

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.OK],
            [wrong, garbage, missing, bearerNotConfigured, valid]);
        Assert.Equal(2, (await IncidentsAsync(host)).Count);
    }

    [Fact]
    public async Task OversizeBody_Is413WithOrWithoutContentLength()
    {
        await using KestrelHost host = await StartAsync(o =>
        {
            o.BearerToken = Token;
            o.MaxBodyBytes = 1024;
        });
        byte[] big = Encoding.UTF8.GetBytes("{\"alerts\":[],\"pad\":\"" + new string('x', 4096) + "\"}");

        (HttpStatusCode declared, JsonElement json, _) = await PostAsync(host, big);
        (HttpStatusCode chunked, _, _) = await PostAsync(host, big, change: r =>
        {
            r.Content = new StreamContent(new MemoryStream(big));   // no Content-Length: sent chunked
            r.Headers.TransferEncodingChunked = true;
        });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked);
        Assert.Contains("1024 bytes", json.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"version":"4","alerts":"none"}""")]
    [InlineData("""{"version":"5","alerts":[]}""")]
    [InlineData("""{"version":"4","alerts":[{"status":"firing","labels":{"alertname":"A"},"fingerprint":"1"},{"status":"exploded"}]}""")]
    public async Task Malformed_Is400WithAMessageAndWritesNothing(string body)
    {
        await using KestrelHost host = await StartAsync();

        (HttpStatusCode status, JsonElement json, _) = await PostAsync(host, Encoding.UTF8.GetBytes(body));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("error").GetString()));
        Assert.Empty(await IncidentsAsync(host));
    }

    [Fact]
    public async Task Malformed_MessageQuotesAreReadable()
    {
        await using KestrelHost host = await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = new StringContent("""{"alerts":[{"status":"exploded"}]}""") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        using HttpResponseMessage response = await host.Client.SendAsync(request, Ct);
        string body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Contains("alerts[0].status is 'exploded'", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoreFailure_Is503AndTheResendCompletesTheRest()
    {
        var store = new FailingStore { FailAddsAfter = 1 };
        await using KestrelHost host = await StartAsync(store: store);

        (HttpStatusCode failed, JsonElement error, _) = await PostAsync(host, Payload("firing-group"));
        store.FailAddsAfter = int.MaxValue;
        (HttpStatusCode retried, JsonElement json, _) = await PostAsync(host, Payload("firing-group"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed);
        Assert.Contains("retries", error.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, retried);
        Assert.Single(Ids(json, "opened"));
        Assert.Equal(1, json.GetProperty("unchanged").GetInt32());
        Assert.Equal(2, (await IncidentsAsync(host)).Count);
    }

    [Fact]
    public async Task ClientsHangingUpMidBody_ReturnNoBufferToThePoolTwiceAndLaterPostsWork()
    {
        await using KestrelHost host = await StartAsync();
        byte[] part = new byte[100_000];
        part.AsSpan().Fill((byte)' ');
        for (int i = 0; i < 40; i++)
        {
            using var tcp = new System.Net.Sockets.TcpClient();
            await tcp.ConnectAsync(host.BaseAddress.Host, host.BaseAddress.Port, Ct);
            System.Net.Sockets.NetworkStream stream = tcp.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"POST /{Path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {Token}\r\nContent-Type: application/json\r\nContent-Length: 500000\r\n\r\n"), Ct);
            await stream.WriteAsync(part, Ct);
            await stream.FlushAsync(Ct);
            tcp.Client.LingerState = new System.Net.Sockets.LingerOption(true, 0);   // a reset, not a clean close
        }

        // A buffer returned twice comes out of the shared pool twice while both rentals are held.
        await Task.Delay(500, Ct);   // let the server notice the resets (bounded; nothing to poll)
        byte[][] rented = [.. Enumerable.Range(0, 2000).Select(_ => System.Buffers.ArrayPool<byte>.Shared.Rent(65536))];
        int duplicates = rented.Length - rented.Distinct(ReferenceEqualityComparer.Instance).Count();
        foreach (byte[] array in rented)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(array);
        }

        Assert.Equal(0, duplicates);
        (HttpStatusCode status, _, _) = await PostAsync(host, Payload("firing-group"));
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Get_Is405()
    {
        await using KestrelHost host = await StartAsync();

        HttpResponseMessage response = await host.Client.GetAsync(Path, Ct);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Map_WithoutIncidents_ThrowsNamingAddIncidents()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            KestrelHost.StartAsync(app => app.MapAlertmanagerWebhook(configure: o => o.BearerToken = Token)));

        Assert.Contains("AddIncidents()", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, false, 1024, "no credential")]
    [InlineData("has space", null, false, 1024, "BearerToken")]
    [InlineData(null, "", false, 1024, "HmacSecret is empty")]
    [InlineData("t", null, false, 10, "MaxBodyBytes is 10")]
    [InlineData("t", null, false, 100_000_000, "MaxBodyBytes is 100000000")]
    public async Task Map_InvalidOptions_ThrowsNamingTheOption(string? token, string? secret, bool anonymous, int max, string expected)
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => StartAsync(o =>
        {
            o.BearerToken = token;
            o.HmacSecret = secret;
            o.AllowAnonymous = anonymous;
            o.MaxBodyBytes = max;
        }));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllowAnonymous_AcceptsWithoutCredentials()
    {
        await using KestrelHost host = await StartAsync(o => o.AllowAnonymous = true);

        (HttpStatusCode status, _, _) = await PostAsync(host, Payload("firing-group"), token: null);

        Assert.Equal(HttpStatusCode.OK, status);
    }

    /// <summary>An in-memory store whose adds fail after a number of successes, like a disk that fills up.</summary>
    private sealed class FailingStore : IIncidentStore
    {
        private readonly InMemoryIncidentStore _inner = new();
        private int _adds;

        public int FailAddsAfter { get; set; }

        public Task<Incident> AddAsync(Incident incident, CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref _adds) > FailAddsAfter
                ? throw new IOException("disk full")
                : _inner.AddAsync(incident, cancellationToken);

        public Task<Incident> UpdateAsync(Incident incident, CancellationToken cancellationToken = default) => _inner.UpdateAsync(incident, cancellationToken);

        public Task<Incident?> GetAsync(string id, CancellationToken cancellationToken = default) => _inner.GetAsync(id, cancellationToken);

        public Task<Incident?> FindByAlertKeyAsync(string alertKey, CancellationToken cancellationToken = default) => _inner.FindByAlertKeyAsync(alertKey, cancellationToken);

        public Task<IncidentPage> ListAsync(IncidentQuery query, CancellationToken cancellationToken = default) => _inner.ListAsync(query, cancellationToken);
    }
}
