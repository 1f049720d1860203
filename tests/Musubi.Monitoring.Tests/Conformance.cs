namespace Musubi.Monitoring.Tests;

/// <summary>Finds the shared conformance vectors in <c>../shared/conformance/</c> next to the repository root.</summary>
internal static class Conformance
{
    private const string SolutionFile = "Musubi.Monitoring.sln";

    /// <summary>The full path of a conformance file, for example <c>Conformance.Path("w3c", "cases.json")</c>.</summary>
    public static string Path(params string[] parts)
    {
        string root = RepositoryRoot();
        string path = System.IO.Path.GetFullPath(System.IO.Path.Combine([root, "..", "shared", "conformance", .. parts]));
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"Conformance file '{path}' is missing: the tests expect the shared conformance vectors in '../shared/conformance/' next to the repository root '{root}'.",
                path);
        }

        return path;
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, SolutionFile)))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No directory above '{AppContext.BaseDirectory}' contains {SolutionFile}; cannot find the repository root.");
    }
}
