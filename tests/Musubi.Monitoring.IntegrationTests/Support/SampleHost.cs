using System.Reflection;
using System.Runtime.InteropServices;

namespace Musubi.Monitoring.IntegrationTests.Support;

/// <summary>
/// The real sample, run as its own process (<c>dotnet Musubi.Monitoring.Sample.dll --serve --urls
/// http://127.0.0.1:0</c>); its address is read from the "Listening on" line it prints once bound.
/// </summary>
internal sealed class SampleHost : IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(60);
    private readonly ManagedProcess _process;

    private SampleHost(ManagedProcess process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public string Output => _process.Output;

    /// <summary>Starts the sample; <paramref name="workingDirectory"/> is where it keeps <c>artifacts/</c> (its SQLite database).</summary>
    public static async Task<SampleHost> StartAsync(
        CancellationToken cancellationToken, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        string assembly = typeof(SampleHost).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "SampleAssemblyPath").Value!;
        if (!File.Exists(assembly))
        {
            throw new InvalidOperationException($"The sample is not built at {assembly}; build the solution first.");
        }

        const string Prefix = "Listening on ";
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        ManagedProcess process = ManagedProcess.Start(
            DotnetHost(),
            [assembly, "--serve", "--urls", "http://127.0.0.1:0"],
            line =>
            {
                if (line.StartsWith(Prefix, StringComparison.Ordinal))
                {
                    listening.TrySetResult(line[Prefix.Length..].Split(',')[0].Trim());
                }
            },
            workingDirectory,
            environment);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(s_startTimeout);
            Task exited = process.WaitForExitAsync(timeout.Token);
            Task first = await Task.WhenAny(listening.Task, exited);
            if (first != listening.Task)
            {
                throw new InvalidOperationException(
                    $"The sample did not print its address within {s_startTimeout.TotalSeconds:0} s (exited: {process.HasExited}). Its output:\n{process.Output}");
            }

            return new SampleHost(process, new Uri(await listening.Task + "/"));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _process.DisposeAsync();
    }

    /// <summary>The <c>dotnet</c> host running these tests, so the sample runs on the same runtime.</summary>
    private static string DotnetHost()
    {
        string? fromCli = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromCli) && File.Exists(fromCli))
        {
            return fromCli;
        }

        // <root>/shared/Microsoft.NETCore.App/<version>/ → <root>/dotnet
        string root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        string beside = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(beside) ? beside : "dotnet";
    }
}
