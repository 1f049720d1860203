using System.Diagnostics;

namespace Musubi.Monitoring.Quality.Cli.Tests.Support;

/// <summary>
/// Runs the built musubi-validate as a real process, from the tool project's own output folder (the copy beside the
/// tests resolves its dependencies against the test's ASP.NET Core framework, not as the tool does).
/// </summary>
internal static class ToolProcess
{
    /// <summary>The tool's dll in src/Musubi.Monitoring.Quality.Cli/bin/{Configuration}/{tfm}/, built with the tests.</summary>
    public static string ToolDll
    {
        get
        {
            string testDirectory = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
            string tfm = Path.GetFileName(testDirectory);
            string configuration = Path.GetFileName(Path.GetDirectoryName(testDirectory)!);
            DirectoryInfo? root = new(testDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Musubi.Monitoring.sln")))
            {
                root = root.Parent;
            }

            Assert.NotNull(root);
            string dll = Path.Combine(root.FullName, "src", "Musubi.Monitoring.Quality.Cli", "bin", configuration, tfm, "Musubi.Monitoring.Quality.Cli.dll");
            Assert.True(File.Exists(dll), $"The built tool is missing: {dll}");
            return dll;
        }
    }

    public static async Task<CliRun> RunAsync(IReadOnlyDictionary<string, string?>? environment, string workingDirectory, params string[] args)
    {
        string dll = ToolDll;
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach ((string name, string? value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        Task<string> error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CliRun(process.ExitCode, await output, await error);
    }
}
