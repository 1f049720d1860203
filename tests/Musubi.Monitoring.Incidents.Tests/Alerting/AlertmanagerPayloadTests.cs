using System.Text;
using Musubi.Monitoring.Incidents;

namespace Musubi.Monitoring.Incidents.Tests.Alerting;

public sealed class AlertmanagerPayloadTests
{
    [Fact]
    public void Parse_FiringGroup_GivesOneAlertPerFingerprintKeyedWithItsStart()
    {
        IReadOnlyList<IncidentAlert> alerts = AlertmanagerPayload.Parse(Payloads.Read("firing-group"));

        Assert.Equal(2, alerts.Count);
        Assert.Equal("alertmanager:a1b2c3d4e5f60718@2026-12-04T10:00:00Z", alerts[0].Key);
        Assert.Equal("alertmanager:0f1e2d3c4b5a6978@2026-12-04T10:00:30Z", alerts[1].Key);
        Assert.All(alerts, a => Assert.Equal(IncidentAlertState.Firing, a.State));
        Assert.Equal("CheckoutErrors: Checkout answers 5xx", alerts[0].Title);
        Assert.Equal(Severity.Sev1, alerts[0].Severity);
        Assert.Equal(["checkout"], alerts[0].AffectedServices);
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero), alerts[0].At);
        Assert.Contains("instance=checkout-1:8080", alerts[0].Description, StringComparison.Ordinal);
        Assert.Contains("Runbook: https://runbooks.example/checkout-errors", alerts[0].Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OneResolvedAlertInAFiringGroup_ResolvesOnlyThatAlert()
    {
        IReadOnlyList<IncidentAlert> alerts = AlertmanagerPayload.Parse(Payloads.Read("one-resolved-in-firing-group"));

        Assert.Equal([IncidentAlertState.Resolved, IncidentAlertState.Firing], alerts.Select(a => a.State));
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 10, 20, 0, TimeSpan.Zero), alerts[0].At);
    }

    [Fact]
    public void Parse_UnknownAndMissingFields_AreToleratedWithDefaults()
    {
        IncidentAlert alert = Assert.Single(AlertmanagerPayload.Parse(Payloads.Read("unknown-and-missing-fields")));

        Assert.Equal(IncidentAlertState.Firing, alert.State);   // the notification's status
        Assert.StartsWith("alertmanager:labels-", alert.Key, StringComparison.Ordinal);
        Assert.EndsWith("@2026-12-04T10:00:00Z", alert.Key, StringComparison.Ordinal);
        Assert.Equal("DiskFull on node", alert.Title);
        Assert.Equal(Severity.Sev3, alert.Severity);
        Assert.Empty(alert.AffectedServices);
    }

    [Fact]
    public void Parse_SameLabelsWithoutFingerprint_GiveTheSameKey()
    {
        const string a = """{"alerts":[{"status":"firing","labels":{"b":"2","a":"1"}}]}""";
        const string b = """{"alerts":[{"status":"firing","labels":{"a":"1","b":"2"}}]}""";
        const string c = """{"alerts":[{"status":"firing","labels":{"a":"1","b":"3"}}]}""";

        string key = Single(a).Key;
        Assert.Equal(key, Single(b).Key);
        Assert.NotEqual(key, Single(c).Key);
    }

    [Theory]
    [InlineData("critical", Severity.Sev1)]
    [InlineData("CRITICAL", Severity.Sev1)]
    [InlineData("warning", Severity.Sev3)]
    [InlineData("info", Severity.Sev4)]
    [InlineData("sev2", Severity.Sev2)]
    [InlineData("P5", Severity.Sev5)]
    [InlineData("whatever", Severity.Sev3)]
    [InlineData("sev9", Severity.Sev3)]
    public void Parse_SeverityLabel_IsMapped(string value, Severity expected)
    {
        string json = $$$"""{"alerts":[{"status":"firing","labels":{"alertname":"X","severity":"{{{value}}}"}}]}""";

        Assert.Equal(expected, Single(json).Severity);
    }

    [Fact]
    public void Parse_ConfiguredLabelAndMap_AreUsed()
    {
        var options = new AlertmanagerIngestionOptions { SeverityLabel = "priority", DefaultSeverity = Severity.Sev5 };
        options.SeverityMap["urgent"] = Severity.Sev2;

        Assert.Equal(Severity.Sev2, Single("""{"alerts":[{"status":"firing","labels":{"priority":"urgent"}}]}""", options).Severity);
        Assert.Equal(Severity.Sev5, Single("""{"alerts":[{"status":"firing","labels":{"severity":"critical"}}]}""", options).Severity);
    }

    [Fact]
    public void Parse_PerGroup_GivesOneAlertFiringWhileAnyFires()
    {
        var options = new AlertmanagerIngestionOptions { Grouping = AlertGrouping.PerGroup };

        IncidentAlert firing = Assert.Single(AlertmanagerPayload.Parse(Payloads.Read("one-resolved-in-firing-group"), options));
        IncidentAlert resolved = Assert.Single(AlertmanagerPayload.Parse(Payloads.Read("all-resolved"), options));

        Assert.Equal("alertmanager-group:{}/{severity=\"critical\"}:{alertname=\"CheckoutErrors\"}", firing.Key);
        Assert.Equal(firing.Key, resolved.Key);
        Assert.Equal(IncidentAlertState.Firing, firing.State);
        Assert.Equal(IncidentAlertState.Resolved, resolved.State);
        Assert.Equal("CheckoutErrors: Checkout answers 5xx", firing.Title);
        Assert.Equal("CheckoutErrors resolved; CheckoutErrors firing", firing.Description);
    }

    [Fact]
    public void Parse_PerGroupWithoutGroupKey_Throws()
    {
        var options = new AlertmanagerIngestionOptions { Grouping = AlertGrouping.PerGroup };

        var ex = Assert.Throws<AlertmanagerPayloadException>(() =>
            AlertmanagerPayload.Parse("""{"alerts":[{"status":"firing","labels":{}}]}"""u8, options));
        Assert.Contains("groupKey", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EmptyAlerts_GivesNothing() =>
        Assert.Empty(AlertmanagerPayload.Parse("""{"version":"4","status":"resolved","alerts":[]}"""u8));

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("{", "not valid JSON")]
    [InlineData("[]", "is a JSON array")]
    [InlineData("\"x\"", "is a JSON string")]
    [InlineData("{}", "no 'alerts' array")]
    [InlineData("""{"alerts":{}}""", "no 'alerts' array")]
    [InlineData("""{"version":"3","alerts":[]}""", "version is '3'")]
    [InlineData("""{"version":4,"alerts":[]}""", "version is a JSON number")]
    [InlineData("""{"alerts":[1]}""", "alerts[0] is a JSON number")]
    [InlineData("""{"alerts":[{"labels":{}}]}""", "alerts[0] has no 'status'")]
    [InlineData("""{"alerts":[{"status":"pending"}]}""", "alerts[0].status is 'pending'")]
    [InlineData("""{"status":"maybe","alerts":[]}""", "status is 'maybe'")]
    [InlineData("""{"alerts":[{"status":"firing","labels":{"a":1}}]}""", "alerts[0].labels.a is a JSON number")]
    [InlineData("""{"alerts":[{"status":"firing","labels":[]}]}""", "alerts[0].labels is a JSON array")]
    [InlineData("""{"alerts":[{"status":"firing","startsAt":"yesterday"}]}""", "alerts[0].startsAt is 'yesterday'")]
    public void Parse_Malformed_ThrowsNamingTheProblem(string json, string expected)
    {
        var ex = Assert.Throws<AlertmanagerPayloadException>(() => AlertmanagerPayload.Parse(Encoding.UTF8.GetBytes(json)));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidUtf8OrLoneSurrogate_ThrowsPayloadExceptionNot500()
    {
        byte[] invalidUtf8 = [.. Encoding.UTF8.GetBytes("""{"alerts":[{"status":"firing","labels":{"x":""" + "\""), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\"}}]}")];

        var utf8 = Assert.Throws<AlertmanagerPayloadException>(() => AlertmanagerPayload.Parse(invalidUtf8));
        var surrogate = Assert.Throws<AlertmanagerPayloadException>(() =>
            AlertmanagerPayload.Parse("""{"alerts":[{"status":"firing","labels":{"x":"\ud800"}}]}"""u8));

        Assert.Contains("not valid", utf8.Message, StringComparison.Ordinal);
        Assert.Contains("not valid", surrogate.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"alerts":[]}{"alerts":[{"status":"firing"}]}""")]
    [InlineData("""{"alerts":[]} garbage""")]
    public void Parse_ContentAfterTheNotification_Throws(string json) =>
        Assert.Contains("after the notification",
            Assert.Throws<AlertmanagerPayloadException>(() => AlertmanagerPayload.Parse(Encoding.UTF8.GetBytes(json))).Message, StringComparison.Ordinal);

    [Fact]
    public void Parse_TrailingWhiteSpace_IsFine() =>
        Assert.Empty(AlertmanagerPayload.Parse(Encoding.UTF8.GetBytes("{\"alerts\":[]}\r\n  \t")));

    [Theory]
    [InlineData("12/04/2026")]
    [InlineData("Dec 4 2026")]
    [InlineData("2026-12-04T10:00:00")]          // no offset: would depend on the host's zone
    [InlineData("2026-12-04")]
    public void Parse_StartsAtNotRfc3339_Throws(string time) =>
        Assert.Throws<AlertmanagerPayloadException>(() => AlertmanagerPayload.Parse(Encoding.UTF8.GetBytes(
            $$$"""{"alerts":[{"status":"firing","startsAt":"{{{time}}}"}]}""")));

    [Theory]
    [InlineData("2026-12-04T10:00:00Z", "2026-12-04T10:00:00Z")]
    [InlineData("2026-12-04T10:00:00.123456789Z", "2026-12-04T10:00:00.1234567Z")]   // Go writes nanoseconds
    [InlineData("2026-12-04T11:00:00+01:00", "2026-12-04T10:00:00Z")]
    [InlineData("2026-12-04t10:00:00z", "2026-12-04T10:00:00Z")]
    public void Parse_StartsAtRfc3339_IsRead(string time, string key) =>
        Assert.EndsWith("@" + key, Single($$$"""{"alerts":[{"status":"firing","startsAt":"{{{time}}}"}]}""").Key, StringComparison.Ordinal);

    [Fact]
    public void Parse_HugeVersion_IsNotEchoedWhole()
    {
        string json = $$$"""{"version":"{{{new string('9', 500_000)}}}","alerts":[]}""";

        var ex = Assert.Throws<AlertmanagerPayloadException>(() => AlertmanagerPayload.Parse(Encoding.UTF8.GetBytes(json)));

        Assert.True(ex.Message.Length < 300, ex.Message.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Parse_TitleCutInsideASurrogatePair_KeepsThePairWhole()
    {
        string json = $$$"""{"alerts":[{"status":"firing","labels":{"alertname":"{{{new string('a', 198)}}}🔥zz"}}]}""";

        string title = Single(json).Title;

        Assert.False(char.IsHighSurrogate(title[^2]) && !char.IsLowSurrogate(title[^1]));
        Assert.Equal(title, Encoding.UTF8.GetString(new UTF8Encoding(false, throwOnInvalidBytes: true).GetBytes(title)));
    }

    [Fact]
    public void Parse_DeeplyNested_ThrowsInsteadOfRecursing()
    {
        string json = """{"alerts":[],"x":""" + new string('[', 5000) + new string(']', 5000) + "}";

        Assert.Throws<AlertmanagerPayloadException>(() => AlertmanagerPayload.Parse(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Parse_HugeTitle_IsCut()
    {
        string json = $$$"""{"alerts":[{"status":"firing","annotations":{"summary":"{{{new string('x', 5000)}}}"}}]}""";

        Assert.Equal(200, Single(json).Title.Length);
    }

    private static IncidentAlert Single(string json, AlertmanagerIngestionOptions? options = null) =>
        Assert.Single(AlertmanagerPayload.Parse(Encoding.UTF8.GetBytes(json), options));
}
