using Musubi.Monitoring.Incidents;

namespace Musubi.Monitoring.Incidents.Tests.Runbooks;

public sealed class RunbookCatalogTests
{
    private static Runbook Version(int version, string id = "restart-api") =>
        new(id, "Restart", version, [new RunbookStep { Id = "s", Text = "v" + version }]);

    [Fact]
    public void Get_SeveralVersions_ReturnsLatestOrTheOneAsked()
    {
        var catalog = new RunbookCatalog();
        catalog.Add(Version(1));
        catalog.Add(Version(3));
        catalog.Add(Version(1, "other"));

        Assert.Equal(3, catalog.Get("restart-api").Version);
        Assert.Equal("v1", catalog.Get("restart-api", 1).Steps[0].Text);
        Assert.Equal([1, 3], catalog.GetVersions("restart-api").Select(r => r.Version));
        Assert.Equal(["other", "restart-api"], catalog.Ids);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public void Add_VersionNotHigher_ThrowsNamingBothVersions(int version)
    {
        var catalog = new RunbookCatalog();
        catalog.Add(Version(2));

        ArgumentException ex = Assert.Throws<ArgumentException>(() => catalog.Add(Version(version)));
        Assert.Contains($"at version 2; a new version must be higher than that, not {version}", ex.Message, StringComparison.Ordinal);
        Assert.Single(catalog.GetVersions("restart-api"));
    }

    [Fact]
    public void Get_UnknownIdOrVersion_ThrowsKeyNotFound()
    {
        var catalog = new RunbookCatalog();
        catalog.Add(Version(1));
        catalog.Add(Version(2));

        Assert.Contains("'nope'", Assert.Throws<KeyNotFoundException>(() => catalog.Get("nope")).Message, StringComparison.Ordinal);
        Assert.Contains("no version 5; it has 1, 2", Assert.Throws<KeyNotFoundException>(() => catalog.Get("restart-api", 5)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_ConcurrentVersions_KeepsThemIncreasing()
    {
        var catalog = new RunbookCatalog();
        await Task.WhenAll(Enumerable.Range(1, 50).Select(v => Task.Run(() =>
        {
            try
            {
                catalog.Add(Version(v));
            }
            catch (ArgumentException)
            {
                // A lower version arriving after a higher one is refused.
            }
        })));

        int[] versions = [.. catalog.GetVersions("restart-api").Select(r => r.Version)];
        Assert.Equal(versions.Order(), versions);
        Assert.Equal(versions.Distinct().Count(), versions.Length);
        Assert.Equal(50, catalog.Get("restart-api").Version); // the highest is never refused
    }
}
