using System.Net;
using System.Net.Sockets;

namespace Musubi.Monitoring.IntegrationTests.Support;

/// <summary>What the real servers the tests start (Prometheus, Alertmanager) share: a free port, readiness, clean-up.</summary>
internal static class LocalServer
{
    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Waits (bounded) until the server answers 200 on <c>/-/ready</c>; false when it exits or never does.</summary>
    public static async Task<bool> WaitReadyAsync(ManagedProcess process, HttpClient client, CancellationToken cancellationToken)
    {
        long started = TimeProvider.System.GetTimestamp();
        while (!process.HasExited && TimeProvider.System.GetElapsedTime(started) < s_readyTimeout)
        {
            try
            {
                using HttpResponseMessage response = await client.GetAsync("-/ready", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The 5 s client time-out: starting slowly.
            }

            await Task.Delay(Deadline.PollInterval, cancellationToken);
        }

        return false;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Removes a server's temporary directory, after the process has exited (so its files are closed).</summary>
    public static void DeleteQuietly(DirectoryInfo directory)
    {
        try
        {
            directory.Delete(recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"Could not remove {directory.FullName}: {e.Message}");
        }
    }
}
