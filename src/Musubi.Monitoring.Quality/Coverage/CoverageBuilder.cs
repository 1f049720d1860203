namespace Musubi.Monitoring.Quality;

/// <summary>Collects files while one report is read, or while several reports are merged.</summary>
internal sealed class CoverageBuilder
{
    private readonly Dictionary<string, FileCoverageBuilder> _files = new(CoveragePaths.Comparer);

    public List<string> Sources { get; } = [];

    public List<string> Warnings { get; } = [];

    public DateTimeOffset? Timestamp { get; set; }

    public FileCoverageBuilder File(string path)
    {
        string normalised = CoveragePaths.Normalize(path);
        if (!_files.TryGetValue(normalised, out FileCoverageBuilder? file))
        {
            file = new FileCoverageBuilder(normalised);
            _files[normalised] = file;
        }

        return file;
    }

    public CoverageReport Build()
    {
        var files = new List<FileCoverage>(_files.Count);
        foreach (FileCoverageBuilder file in _files.Values)
        {
            files.Add(file.Build());
        }

        files.Sort(static (x, y) => string.CompareOrdinal(x.Path, y.Path));
        return new CoverageReport([.. files], [.. Sources], [.. Warnings], Timestamp);
    }
}
