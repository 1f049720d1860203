using System.Diagnostics;
using System.Globalization;
using Musubi.Monitoring.Correlation;
using Musubi.Monitoring.Logging;
using Musubi.Monitoring.Tracing;

namespace Musubi.Monitoring.Sample;

/// <summary>
/// One checkout request sent the way an upstream service would: a W3C <c>traceparent</c> and <c>tracestate</c>,
/// <c>baggage</c> and an <c>x-correlation-id</c>. Its spans are read back from the in-memory exporter and its log
/// lines from the log file on disk.
/// </summary>
internal static class TracedRequest
{
    public const string CorrelationId = "demo-checkout-7";

    /// <summary>Server (checkout), reserve-stock, client (the call to /api/orders), server (/api/orders).</summary>
    private const int ExpectedSpans = 4;

    public static async Task<Result> RunAsync(WebApplication app, HttpClient client, CancellationToken cancellationToken)
    {
        var traceId = ActivityTraceId.CreateRandom();
        var callerSpanId = ActivitySpanId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/checkout/7");
        request.Headers.Add(W3CTraceContext.TraceParentHeader, $"00-{traceId}-{callerSpanId}-01");
        request.Headers.Add(W3CTraceContext.TraceStateHeader, "musubi=demo");
        request.Headers.Add(W3CBaggage.HeaderName, W3CBaggage.Format([new("tenant", "acme"), new("user", "Amélie")])!);
        request.Headers.Add("x-correlation-id", CorrelationId);
        using HttpResponseMessage response = await client.SendAsync(request, cancellationToken);
        string echoed = response.Headers.TryGetValues("x-correlation-id", out IEnumerable<string>? values) ? string.Join(",", values) : "(none)";

        // The server span ends a moment after the client has the response: wait for the whole trace (bounded).
        InMemorySpanExporter exporter = app.Services.GetRequiredService<InMemorySpanExporter>();
        IReadOnlyList<Activity> spans = [];
        for (int attempt = 0; attempt < 500 && spans.Count < ExpectedSpans; attempt++)
        {
            spans = exporter.GetTrace(traceId);
            if (spans.Count < ExpectedSpans)
            {
                await Task.Delay(10, cancellationToken);
            }
        }

        MusubiFileLoggerProvider logs = app.Services.GetServices<ILoggerProvider>().OfType<MusubiFileLoggerProvider>().Single();
        await logs.FlushAsync(cancellationToken);
        (string file, string[] lines) = ReadLogLines(traceId.ToHexString());

        return new Result(traceId, callerSpanId, (int)response.StatusCode, echoed, spans, file, lines);
    }

    /// <summary>The log file and its lines that carry <paramref name="traceId"/>.</summary>
    private static (string File, string[] Lines) ReadLogLines(string traceId)
    {
        string directory = Path.GetDirectoryName(Program.LogPath)!;
        string[] files = Directory.Exists(directory) ? Directory.GetFiles(directory, "sample*.log") : [];
        Array.Sort(files, StringComparer.Ordinal);
        string needle = $"\"trace_id\":\"{traceId}\"";
        string[] lines = [.. files.SelectMany(ReadShared).Where(l => l.Contains(needle, StringComparison.Ordinal))];
        return (files.Length > 0 ? files[^1] : Program.LogPath, lines);
    }

    /// <summary>Reads a file the logger still has open for writing.</summary>
    private static IEnumerable<string> ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }

    /// <summary>What came back.</summary>
    public sealed record Result(
        ActivityTraceId TraceId,
        ActivitySpanId CallerSpanId,
        int Status,
        string EchoedCorrelationId,
        IReadOnlyList<Activity> Spans,
        string LogFile,
        string[] LogLines)
    {
        /// <summary>Why the trace does not hang together, or <see langword="null"/> when it does.</summary>
        public string? Problem()
        {
            if (Status != 200)
            {
                return string.Create(CultureInfo.InvariantCulture, $"the checkout answered {Status}");
            }

            if (EchoedCorrelationId != CorrelationId)
            {
                return $"the response echoed correlation id '{EchoedCorrelationId}'";
            }

            if (Spans.Count != ExpectedSpans)
            {
                return string.Create(CultureInfo.InvariantCulture, $"the trace has {Spans.Count} spans, expected {ExpectedSpans}");
            }

            if (Spans.Count(s => s.ParentSpanId == CallerSpanId) != 1)
            {
                return "no single span of the trace is a child of the caller's span";
            }

            return LogLines.Length < 2 ? "the log file has fewer than 2 lines with the trace id" : null;
        }
    }
}
