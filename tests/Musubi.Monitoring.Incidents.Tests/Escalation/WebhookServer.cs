using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Musubi.Monitoring.Incidents.Tests.Escalation;

/// <summary>
/// A webhook receiver on 127.0.0.1 and a free port. Each request gets the next scripted reply: a status code, or
/// <see cref="Hang"/> to keep the request open until the server is disposed.
/// </summary>
internal sealed class WebhookServer : IAsyncDisposable
{
    public const int Hang = -1;

    private readonly HttpListener _listener;
    private readonly int[] _replies;
    private readonly List<(string Body, string? ContentType, string? IdempotencyKey)> _requests = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _received = new(0);
    private readonly Task _loop;

    public WebhookServer(params int[] replies)
    {
        _replies = replies;
        _listener = Start(out Uri url);
        Url = url;
        _loop = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    /// <summary>Waits (30 seconds at most) until <paramref name="count"/> more requests have arrived.</summary>
    public async Task WaitForRequestsAsync(int count, CancellationToken cancellationToken)
    {
        for (int i = 0; i < count; i++)
        {
            if (!await _received.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false))
            {
                throw new TimeoutException($"The webhook server got {Requests.Count} request(s); {count - i} more were expected.");
            }
        }
    }

    public IReadOnlyList<(string Body, string? ContentType, string? IdempotencyKey)> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Abort();
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        _received.Dispose();
    }

    private static HttpListener Start(out Uri url)
    {
        // A free port: the system picks one for a throw-away socket. Another process could take it in between, so try a few.
        for (int attempt = 1; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var listener = new HttpListener();
            url = new Uri($"http://127.0.0.1:{port}/hooks/incidents/");
            listener.Prefixes.Add(url.ToString());
            try
            {
                listener.Start();
                return listener;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    private async Task ServeAsync()
    {
        var hung = new List<HttpListenerContext>();
        try
        {
            for (int i = 0; i < _replies.Length; i++)
            {
                HttpListenerContext context = await _listener.GetContextAsync().WaitAsync(_stop.Token).ConfigureAwait(false);
                using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
                {
                    string body = await reader.ReadToEndAsync(_stop.Token).ConfigureAwait(false);
                    lock (_gate)
                    {
                        _requests.Add((body, context.Request.ContentType, context.Request.Headers["Idempotency-Key"]));
                    }
                }

                _received.Release();
                if (_replies[i] == Hang)
                {
                    hung.Add(context);
                    continue;
                }

                context.Response.StatusCode = _replies[i];
                context.Response.Close();
            }

            await Task.Delay(Timeout.Infinite, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException)
        {
            // Disposed.
        }
        finally
        {
            foreach (HttpListenerContext context in hung)
            {
                context.Response.Abort();
            }
        }
    }
}
