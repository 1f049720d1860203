using System.Globalization;
using System.Net;

namespace Musubi.Monitoring.Quality.Cli.HealthCheck;

/// <summary>GETs a health endpoint once, within a timeout measured on the injected <see cref="TimeProvider"/>.</summary>
internal static class HealthProbe
{
    /// <summary>The most a health body may hold; a bigger answer is not a health report.</summary>
    private const int MaxBodyBytes = 4 * 1024 * 1024;

    /// <summary>Asks <paramref name="url"/> for its health.</summary>
    /// <param name="url">An absolute http or https URL.</param>
    /// <param name="timeout">How long to wait for the whole answer.</param>
    /// <param name="time">The clock of the timeout.</param>
    /// <param name="cancellationToken">Stops the request (Ctrl+C).</param>
    /// <returns>The answer, or why there is none; the message names the URL.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<(HealthAnswer? Answer, string? Failure)> GetAsync(
        Uri url, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        using var client = new HttpClient(new SocketsHttpHandler { ConnectTimeout = Timeout.InfiniteTimeSpan })
        {
            // The timeout is ours, on the injected clock.
            Timeout = Timeout.InfiniteTimeSpan,
            MaxResponseContentBufferSize = MaxBodyBytes,
        };
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/plain;q=0.9");
        request.Headers.UserAgent.ParseAdd("musubi-validate");
        try
        {
            // Headers first, so a body over the limit is told apart from a host that cannot be reached.
            using HttpResponseMessage response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            int code = (int)response.StatusCode;
            try
            {
                await response.Content.LoadIntoBufferAsync(MaxBodyBytes, linked.Token);
            }
            catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConfigurationLimitExceeded)
            {
                return (null, $"{url} answered HTTP {code} {Reason(response.StatusCode)} with a body over {MaxBodyBytes / (1024 * 1024)} MiB, which is not a health report.");
            }

            string body = await response.Content.ReadAsStringAsync(linked.Token);
            if (HealthAnswerParser.TryParse(url, code, body, out HealthAnswer? answer, out string? problem))
            {
                return (answer, null);
            }

            return (null, $"{url} answered HTTP {code} {Reason(response.StatusCode)}, which is not a health report: {problem}.");
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return (null, string.Create(CultureInfo.InvariantCulture, $"{url} did not answer within {timeout.TotalSeconds:0.###} s (--timeout)."));
        }
        catch (HttpRequestException e)
        {
            return (null, $"Cannot reach {url}: {e.Message}");
        }
    }

    private static string Reason(HttpStatusCode code) => code.ToString() switch
    {
        string name when !int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out _) => $"({name})",
        _ => string.Empty,
    };
}
