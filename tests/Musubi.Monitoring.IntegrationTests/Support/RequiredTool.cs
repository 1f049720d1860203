namespace Musubi.Monitoring.IntegrationTests.Support;

/// <summary>Finds a tool on PATH; when it is missing the test skips, or fails when <c>CI=true</c>.</summary>
internal static class RequiredTool
{
    public static string Find(string name, string package = "prometheus")
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            if (directory.Length == 0)
            {
                continue;
            }

            string candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        string reason = $"{name} not found; install Debian's {package} package";
        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            Assert.Fail(reason + $" (apt-get install -y {package}). CI=true, so a missing tool fails this test instead of skipping it.");
        }

        Assert.Skip(reason);
        return name;
    }
}
