using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Musubi.Monitoring.Quality.Cli.HealthCheck;

namespace Musubi.Monitoring.Quality.Cli.Tests.HealthCheck;

public sealed class HealthAnswerParserTests
{
    private static readonly Uri s_url = new("http://127.0.0.1:5000/health/ready");

    [Theory]
    [InlineData("Healthy", HealthStatus.Healthy)]
    [InlineData("degraded\n", HealthStatus.Degraded)]
    [InlineData(" UNHEALTHY ", HealthStatus.Unhealthy)]
    public void TryParse_PlainStatusText_ReadsTheStatus(string body, HealthStatus expected)
    {
        Assert.True(HealthAnswerParser.TryParse(s_url, 200, body, out HealthAnswer? answer, out string? problem));

        Assert.Null(problem);
        Assert.Equal(expected, answer!.Status);
        Assert.Empty(answer.Checks);
        Assert.Null(answer.DurationMilliseconds);
    }

    [Fact]
    public void TryParse_HealthChecksUiShape_ReadsEntriesAndTimeSpanDurations()
    {
        const string Body = """
            {"status":"Degraded","totalDuration":"00:00:00.0125000","entries":{
              "sql":{"data":{},"duration":"00:00:00.0100000","status":"Healthy","tags":["db"]},
              "cache":{"data":{},"description":"slow","duration":"00:00:00.0020000","exception":"TimeoutException","status":"Degraded","tags":[]}}}
            """;

        Assert.True(HealthAnswerParser.TryParse(s_url, 200, Body, out HealthAnswer? answer, out _));

        Assert.Equal(HealthStatus.Degraded, answer!.Status);
        Assert.Equal(12.5, answer.DurationMilliseconds);
        Assert.Equal(["sql", "cache"], answer.Checks.Select(c => c.Name));
        Assert.Equal(10, answer.Checks[0].DurationMilliseconds);
        Assert.Equal(["db"], answer.Checks[0].Tags);
        Assert.Equal("TimeoutException", answer.Checks[1].Error);
        Assert.Null(answer.Checks[1].Critical);
    }

    [Theory]
    [InlineData("<html>Not Found</html>", "neither health JSON nor Healthy, Degraded or Unhealthy")]
    [InlineData("", "the body is empty")]
    [InlineData("{\"status\":\"Green\"}", "no \"status\" of Healthy, Degraded or Unhealthy")]
    [InlineData("{\"status\":\"Healthy\"", "not valid JSON")]
    public void TryParse_NotAHealthReport_SaysWhy(string body, string expected)
    {
        Assert.False(HealthAnswerParser.TryParse(s_url, 404, body, out HealthAnswer? answer, out string? problem));

        Assert.Null(answer);
        Assert.Contains(expected, problem);
    }

    [Fact]
    public void WriteText_UnderACommaCulture_WritesInvariantDurations()
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            var answer = new HealthAnswer(s_url, 200, HealthStatus.Healthy, 1234.5, [new HealthCheckLine("db", "Healthy", true, 0.25, null, null, [])]);
            using var output = new StringWriter(CultureInfo.GetCultureInfo("de-DE"));
            var context = new CliContext(output, TextWriter.Null, TimeProvider.System, Directory.GetCurrentDirectory());

            HealthAnswerWriter.WriteText(context, answer);

            Assert.Equal(
                $"{s_url}: Healthy (HTTP 200, 1234.5 ms, 1 check)\nCHECK  STATUS   CRITICAL  DURATION  DESCRIPTION\ndb     Healthy  yes       0.25 ms\n",
                output.ToString().ReplaceLineEndings("\n"));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }
}
