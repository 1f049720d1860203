using System.Diagnostics;
using System.Text;

namespace Musubi.Monitoring.Tests;

/// <summary>
/// Runs <c>promtool check metrics</c> (Prometheus' own parser and linter for text format 0.0.4) on an
/// exposition. promtool exits 1 on a parse error and 3 on a lint problem (missing HELP, a counter without
/// <c>_total</c>, non-base units, camelCase names, …); only 0 passes.
/// </summary>
internal static class Promtool
{
    private static readonly Lazy<string?> s_path = new(Find);

    /// <summary>Asserts that promtool accepts <paramref name="exposition"/> without errors or lint problems.</summary>
    /// <remarks>
    /// Without promtool on PATH the test fails when the environment variable <c>CI</c> is <c>true</c> (the CI
    /// image must have it), and is skipped otherwise.
    /// </remarks>
    public static void CheckMetrics(string exposition)
    {
        string path = s_path.Value ?? NotFound();
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add("check");
        start.ArgumentList.Add("metrics");

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {path}.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        Task<string> stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        process.StandardInput.Write(exposition);
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill();
            Assert.Fail("promtool check metrics did not finish within 30 s.");
        }

        string output = (stdout.GetAwaiter().GetResult() + stderr.GetAwaiter().GetResult()).Trim();
        Assert.True(process.ExitCode == 0,
            $"promtool check metrics exited with {process.ExitCode} (1 = parse error, 3 = lint problems):\n{output}\n--- exposition ---\n{exposition}");
    }

    /// <summary>Runs promtool with <paramref name="arguments"/> in <paramref name="directory"/>; returns its exit code and output.</summary>
    public static (int ExitCode, string Output) Run(string directory, params string[] arguments)
    {
        string path = s_path.Value ?? NotFound();
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {path}.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        Task<string> stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill();
            Assert.Fail($"promtool {string.Join(' ', arguments)} did not finish within 60 s.");
        }

        return (process.ExitCode, (stdout.GetAwaiter().GetResult() + stderr.GetAwaiter().GetResult()).Trim());
    }

    /// <summary>Asserts that <c>promtool check rules --lint-fatal</c> accepts <paramref name="rules"/>.</summary>
    public static void CheckRules(string rules)
    {
        string directory = Directory.CreateTempSubdirectory("musubi-rules-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "rules.yml"), rules);
            (int exitCode, string output) = Run(directory, "check", "rules", "--lint-fatal", "rules.yml");
            Assert.True(exitCode == 0, $"promtool check rules exited with {exitCode}:\n{output}\n--- rules ---\n{rules}");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Asserts that <c>promtool test rules</c> passes <paramref name="tests"/> against <paramref name="rules"/> (the tests name <c>rules.yml</c>).</summary>
    public static void TestRules(string rules, string tests)
    {
        string directory = Directory.CreateTempSubdirectory("musubi-rule-tests-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "rules.yml"), rules);
            File.WriteAllText(Path.Combine(directory, "tests.yml"), tests);
            (int exitCode, string output) = Run(directory, "test", "rules", "tests.yml");
            Assert.True(exitCode == 0, $"promtool test rules exited with {exitCode}:\n{output}\n--- tests ---\n{tests}\n--- rules ---\n{rules}");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string NotFound()
    {
        const string Message = "promtool not found; install Debian's prometheus package";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(Message + " (CI=true: the CI image must provide promtool on PATH).");
        }

        Assert.Skip(Message);
        return null!;
    }

    private static string? Find()
    {
        string? pathVariable = Environment.GetEnvironmentVariable("PATH");
        if (string.IsNullOrEmpty(pathVariable))
        {
            return null;
        }

        string name = OperatingSystem.IsWindows() ? "promtool.exe" : "promtool";
        foreach (string directory in pathVariable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
