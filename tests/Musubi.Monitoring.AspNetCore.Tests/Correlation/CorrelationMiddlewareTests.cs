using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics;
using System.Net.Http.Json;
using Musubi.Monitoring.AspNetCore.Tests.Support;
using Musubi.Monitoring.Correlation;

namespace Musubi.Monitoring.AspNetCore.Tests.Correlation;

public sealed class CorrelationMiddlewareTests
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string ParentId = "00f067aa0ba902b7";

    [Fact]
    public async Task Request_ValidTraceParent_OneServerSpanChildOfTheCaller()
    {
        await using KestrelHost host = await CorrelationTestHosts.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "seen");
        request.Headers.Add("traceparent", $"00-{TraceId}-{ParentId}-01");
        request.Headers.Add("tracestate", "vendor=abc,other=1");

        using HttpResponseMessage response = await host.Client.SendAsync(request, TestContext.Current.CancellationToken);
        Seen? seen = await response.Content.ReadFromJsonAsync<Seen>(TestContext.Current.CancellationToken);

        Assert.Equal(TraceId, seen!.TraceId);
        Assert.Equal(ParentId, seen.ParentSpanId);
        IReadOnlyList<Activity> spans = await host.TraceAsync(TraceId, 1);
        Activity server = Assert.Single(spans);
        Assert.Equal(ActivityKind.Server, server.Kind);
        Assert.Equal(seen.SpanId, server.SpanId.ToHexString());
        Assert.Equal("GET /seen", server.DisplayName);
        Assert.Equal("vendor=abc,other=1", server.TraceStateString);
        Assert.Equal(200, server.GetTagItem("http.response.status_code"));
    }

    [Theory]
    [InlineData("00x4bf92f3577b34da6a3ce929d0e0e4736x00f067aa0ba902b7x01")]
    [InlineData("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")]
    [InlineData("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")]
    [InlineData("00-00000000000000000000000000000000-00f067aa0ba902b7-01")]
    public async Task Request_InvalidTraceParent_StartsANewTrace(string traceParent)
    {
        await using KestrelHost host = await CorrelationTestHosts.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "seen");
        request.Headers.TryAddWithoutValidation("traceparent", traceParent);
        request.Headers.TryAddWithoutValidation("tracestate", "vendor=abc");

        using HttpResponseMessage response = await host.Client.SendAsync(request, TestContext.Current.CancellationToken);
        Seen? seen = await response.Content.ReadFromJsonAsync<Seen>(TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(TraceId, seen!.TraceId, StringComparer.OrdinalIgnoreCase);
        Assert.Equal("0000000000000000", seen.ParentSpanId);
        Activity server = Assert.Single(await host.TraceAsync(seen.TraceId!, 1));
        Assert.Null(server.TraceStateString);
    }

    [Fact]
    public async Task Request_FutureVersionTraceParent_Continues()
    {
        await using KestrelHost host = await CorrelationTestHosts.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "seen");
        request.Headers.TryAddWithoutValidation("traceparent", $"cc-{TraceId}-{ParentId}-01-what-the-future-will-be-like");

        using HttpResponseMessage response = await host.Client.SendAsync(request, TestContext.Current.CancellationToken);
        Seen? seen = await response.Content.ReadFromJsonAsync<Seen>(TestContext.Current.CancellationToken);

        Assert.Equal(TraceId, seen!.TraceId);
        Assert.Equal(ParentId, seen.ParentSpanId);
    }

    [Fact]
    public async Task Request_CorrelationIdAndBaggage_ReachTheEndpointAndIdIsEchoed()
    {
        await using KestrelHost host = await CorrelationTestHosts.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "seen");
        request.Headers.Add("x-correlation-id", "order-42");
        request.Headers.TryAddWithoutValidation("baggage", "userId=Am%C3%A9lie,serverNode=DF%2028;p=1, bad key=x");

        using HttpResponseMessage response = await host.Client.SendAsync(request, TestContext.Current.CancellationToken);
        Seen? seen = await response.Content.ReadFromJsonAsync<Seen>(TestContext.Current.CancellationToken);

        Assert.Equal("order-42", seen!.CorrelationId);
        Assert.Equal(["order-42"], response.Headers.GetValues("x-correlation-id"));
        Assert.Equal(new Dictionary<string, string> { ["userId"] = "Amélie", ["serverNode"] = "DF 28" }, seen.Baggage);
        Activity server = Assert.Single(await host.TraceAsync(seen.TraceId!, 1));
        Assert.Equal("order-42", server.GetTagItem("correlation.id"));
    }

    [Fact]
    public async Task Request_NoCorrelationId_OneIsGeneratedAndEchoed()
    {
        await using KestrelHost host = await CorrelationTestHosts.StartAsync();

        using HttpResponseMessage response = await host.Client.GetAsync("seen", TestContext.Current.CancellationToken);
        Seen? seen = await response.Content.ReadFromJsonAsync<Seen>(TestContext.Current.CancellationToken);

        string echoed = Assert.Single(response.Headers.GetValues("x-correlation-id"));
        Assert.Equal(seen!.CorrelationId, echoed);
        Assert.True(Guid.TryParse(echoed, out Guid id) && id.Version == 7, echoed);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    [InlineData("quote\"d")]
    [InlineData("tab\there")]
    [InlineData("<script>")]
    public async Task Request_UnsafeCorrelationId_IsReplacedNeverEchoed(string unsafeId)
    {
        await using KestrelHost host = await CorrelationTestHosts.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "seen");
        Assert.True(request.Headers.TryAddWithoutValidation("x-correlation-id", unsafeId));

        using HttpResponseMessage response = await host.Client.SendAsync(request, TestContext.Current.CancellationToken);
        Seen? seen = await response.Content.ReadFromJsonAsync<Seen>(TestContext.Current.CancellationToken);

        string echoed = Assert.Single(response.Headers.GetValues("x-correlation-id"));
        Assert.NotEqual(unsafeId, echoed);
        Assert.True(CorrelationIds.IsValid(echoed));
        Assert.Equal(echoed, seen!.CorrelationId);
    }

    [Fact]
    public async Task Request_TooLongOrRepeatedCorrelationId_IsReplaced()
    {
        await using KestrelHost host = await CorrelationTestHosts.StartAsync();
        string tooLong = new('a', CorrelationIds.MaxLength + 1);
        using var first = new HttpRequestMessage(HttpMethod.Get, "seen");
        first.Headers.Add("x-correlation-id", tooLong);
        using var second = new HttpRequestMessage(HttpMethod.Get, "seen");
        second.Headers.Add("x-correlation-id", ["one", "two"]);

        using HttpResponseMessage r1 = await host.Client.SendAsync(first, TestContext.Current.CancellationToken);
        using HttpResponseMessage r2 = await host.Client.SendAsync(second, TestContext.Current.CancellationToken);

        Assert.NotEqual(tooLong, Assert.Single(r1.Headers.GetValues("x-correlation-id")));
        string echoed = Assert.Single(r2.Headers.GetValues("x-correlation-id"));
        Assert.DoesNotContain("one", echoed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_HugeHeaders_BoundedAndNotEchoed()
    {
        await using KestrelHost host = await CorrelationTestHosts.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "seen");
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{TraceId}-{ParentId}-01");
        request.Headers.TryAddWithoutValidation("tracestate", string.Join(',', Enumerable.Range(0, 2000).Select(i => $"k{i}=v")));
        request.Headers.TryAddWithoutValidation("baggage", string.Join(',', Enumerable.Range(0, 1000).Select(i => $"key{i}=value{i}")));

        using HttpResponseMessage response = await host.Client.SendAsync(request, TestContext.Current.CancellationToken);
        Seen? seen = await response.Content.ReadFromJsonAsync<Seen>(TestContext.Current.CancellationToken);

        Assert.Equal(TraceId, seen!.TraceId);
        Assert.Equal(W3CBaggage.MaxMembers, seen.Baggage.Count);
        Activity server = Assert.Single(await host.TraceAsync(TraceId, 1));
        Assert.Null(server.TraceStateString);
    }

    [Fact]
    public async Task Request_EndpointThrows_ServerSpanIsErrorWithException()
    {
        await using KestrelHost host = await CorrelationTestHosts.StartAsync(
            app => app.MapGet("/boom", (Func<string>)(() => throw new InvalidOperationException("boom"))));
        using var request = new HttpRequestMessage(HttpMethod.Get, "boom");
        request.Headers.Add("traceparent", $"00-{TraceId}-{ParentId}-01");

        using HttpResponseMessage response = await host.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, response.StatusCode);
        Activity server = Assert.Single(await host.TraceAsync(TraceId, 1));
        Assert.Equal(ActivityStatusCode.Error, server.Status);
        Assert.Contains(server.Events, e => e.Name == "exception");
    }

    [Fact]
    public async Task Request_EndpointThrowsBehindExceptionHandler_IdEchoedOnThe500AndSpanHasTheException()
    {
        await using KestrelHost host = await CorrelationTestHosts.StartAsync(
            app =>
            {
                app.UseExceptionHandler();
                app.MapGet("/boom", (Func<string>)(() => throw new InvalidOperationException("boom")));
            },
            services => services.AddProblemDetails());
        using var request = new HttpRequestMessage(HttpMethod.Get, "boom");
        request.Headers.Add("traceparent", $"00-{TraceId}-{ParentId}-01");
        request.Headers.Add("x-correlation-id", "err-2");

        using HttpResponseMessage response = await host.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(["err-2"], response.Headers.GetValues("x-correlation-id"));
        Activity server = Assert.Single(await host.TraceAsync(TraceId, 1));
        Assert.Equal(ActivityStatusCode.Error, server.Status);
        Assert.Equal(typeof(InvalidOperationException).FullName, server.GetTagItem("error.type"));
        Assert.Contains(server.Events, e => e.Name == "exception");
    }

    [Fact]
    public async Task Request_NoRouteMatched_ServerSpanIsNamedByTheMethod()
    {
        await using KestrelHost host = await CorrelationTestHosts.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "nowhere");
        request.Headers.Add("traceparent", $"00-{TraceId}-{ParentId}-01");

        using HttpResponseMessage response = await host.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Activity server = Assert.Single(await host.TraceAsync(TraceId, 1));
        Assert.Equal("POST", server.DisplayName);
        Assert.Null(server.GetTagItem("http.route"));
        Assert.Equal(404, server.GetTagItem("http.response.status_code"));
    }
}
