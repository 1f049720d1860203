using Xunit.Sdk;

namespace Musubi.Monitoring.Tests;

/// <summary>The checkers other tests rely on must be able to fail.</summary>
public sealed class CheckerTests
{
    private const string Good = "# HELP jobs_total Jobs.\n# TYPE jobs_total counter\njobs_total{queue=\"a\"} 1\n";

    [Fact]
    public void Promtool_GoodDocument_Passes()
        => Promtool.CheckMetrics(Good);

    [Theory]
    [InlineData("# TYPE jobs counter\njobs 1\n")]                                   // lint: no HELP, no _total
    [InlineData("# HELP jobs_total Jobs.\n# TYPE jobs_total counter\njobs_total{a=\"b} 1\n")] // parse error
    public void Promtool_BadDocument_Fails(string exposition)
    {
        Promtool.CheckMetrics(Good);
        Assert.ThrowsAny<XunitException>(() => Promtool.CheckMetrics(exposition));
    }

    [Fact]
    public void ExpositionDocument_GoodDocuments_Parse()
    {
        ExpositionDocument text = ExpositionDocument.Parse(Good, openMetrics: false);
        Assert.Equal("a", text.Family("jobs_total").Samples.Single().Label("queue"));
        ExpositionDocument.Parse("# TYPE jobs counter\n# HELP jobs Jobs.\njobs_total 1.0\n# EOF\n", openMetrics: true);
    }

    [Theory]
    [InlineData(false, "# TYPE a gauge\na 1\n# TYPE a gauge\na 2\n")]
    [InlineData(false, "# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na 2\n")]
    [InlineData(false, "# TYPE a gauge\na{x=\"1\"} 1\na{x=\"1\"} 2\n")]
    [InlineData(false, "# TYPE a_total counter\na_total -1\n")]
    [InlineData(false, "# TYPE a_total counter\na_total 1,5\n")]
    [InlineData(false, "# TYPE a gauge\na{x=\"\\t\"} 1\n")]
    [InlineData(false, "# TYPE a gauge\na 1")]
    [InlineData(false, "# TYPE 1a gauge\n1a 1\n")]
    [InlineData(false, "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n")]
    [InlineData(false, "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 3\n")]
    [InlineData(false, "# TYPE h histogram\nh_bucket{le=\"2\"} 1\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n")]
    [InlineData(false, "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n")]
    [InlineData(false, "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n# TYPE h_count gauge\nh_count 1\n")]
    [InlineData(true, "# TYPE a gauge\na 1\n")]
    [InlineData(true, "# TYPE a gauge\na 1\n# EOF\n\n")]
    [InlineData(true, "# TYPE a counter\na 1\n# EOF\n")]
    [InlineData(true, "# TYPE a_seconds gauge\n# UNIT a_seconds bytes\na_seconds 1\n# EOF\n")]
    [InlineData(false, "# EOF\n")]
    public void ExpositionDocument_BrokenDocument_Fails(bool openMetrics, string document)
        => Assert.ThrowsAny<XunitException>(() => ExpositionDocument.Parse(document, openMetrics));
}
