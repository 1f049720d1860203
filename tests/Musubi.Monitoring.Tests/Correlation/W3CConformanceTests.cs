using System.Diagnostics;
using System.Text.Json;
using Musubi.Monitoring.Correlation;

namespace Musubi.Monitoring.Tests.Correlation;

/// <summary>Every vector in <c>../shared/conformance/w3c/cases.json</c>.</summary>
public sealed class W3CConformanceTests
{
    public static TheoryData<string, bool, string> TraceParentCases()
    {
        var data = new TheoryData<string, bool, string>();
        foreach (JsonElement item in Section("traceparent"))
        {
            data.Add(item.GetProperty("traceparent").GetString()!, item.GetProperty("valid").GetBoolean(), Note(item));
        }

        return data;
    }

    public static TheoryData<string> TraceStateCases() => Raw("tracestate");

    public static TheoryData<string> BaggageCases() => Raw("baggage");

    [Fact]
    public void CasesFile_EverySection_HasVectors()
    {
        Assert.NotEmpty(Section("traceparent"));
        Assert.NotEmpty(Section("tracestate"));
        Assert.NotEmpty(Section("baggage"));
    }

    [Theory]
    [MemberData(nameof(TraceParentCases))]
    public void TryParseTraceParent_ConformanceVector_MatchesExpectedValidity(string traceParent, bool valid, string note)
    {
        bool parsed = W3CTraceContext.TryParseTraceParent(traceParent, out ActivityContext context);

        Assert.True(valid == parsed, $"{note}: expected valid={valid} for '{traceParent}'");
        if (valid)
        {
            Assert.Equal(traceParent.Substring(3, 32), context.TraceId.ToHexString());
            Assert.Equal(traceParent.Substring(36, 16), context.SpanId.ToHexString());
            Assert.True(context.IsRemote, note);
        }
        else
        {
            Assert.True(context == default, note);
        }
    }

    [Theory]
    [MemberData(nameof(TraceStateCases))]
    public void ParseTraceState_ConformanceVector_KeepsExpectedMembers(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement item = document.RootElement;
        string[] headers = [.. item.GetProperty("tracestate").EnumerateArray().Select(h => h.GetString()!)];
        JsonElement members = item.GetProperty("members");
        string note = Note(item);

        string? result = W3CTraceContext.ParseTraceState(headers);

        if (members.ValueKind == JsonValueKind.Array)
        {
            string[] expected = [.. members.EnumerateArray().Select(m => m.GetString()!)];
            string[] actual = result is null ? [] : result.Split(',');
            Assert.True(expected.SequenceEqual(actual), $"{note}: expected [{string.Join(',', expected)}], got '{result}'");
        }
        else
        {
            // A described expectation; the one in the file is about duplicate keys: each key kept once.
            Assert.NotNull(result);
            string[] keys = [.. result.Split(',').Select(m => m[..m.IndexOf('=', StringComparison.Ordinal)])];
            Assert.True(keys.Length == keys.Distinct(StringComparer.Ordinal).Count(), $"{members.GetString()}: got '{result}'");
            string[] sentKeys = [.. headers.SelectMany(h => h.Split(',')).Select(m => m[..m.IndexOf('=', StringComparison.Ordinal)]).Distinct()];
            Assert.True(sentKeys.SequenceEqual(keys), $"{members.GetString()}: got '{result}'");
        }
    }

    [Theory]
    [MemberData(nameof(BaggageCases))]
    public void Baggage_ConformanceVector_ExtractsOrInjectsExpected(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement item = document.RootElement;
        string note = Note(item);

        if (item.TryGetProperty("baggage", out JsonElement header))
        {
            KeyValuePair<string, string>[] expected =
                [.. item.GetProperty("entries").EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetString()!))];

            IReadOnlyList<KeyValuePair<string, string>> actual = W3CBaggage.Parse([header.GetString()]);

            Assert.True(expected.SequenceEqual(actual), $"{note}: got [{string.Join(", ", actual)}]");
        }
        else
        {
            KeyValuePair<string, string>[] members =
                [.. item.GetProperty("inject").EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetString()!))];

            Assert.Equal(item.GetProperty("header").GetString(), W3CBaggage.Format(members));
            Assert.Equal(members, W3CBaggage.Parse([W3CBaggage.Format(members)]));
        }
    }

    private static JsonElement[] Section(string name)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Conformance.Path("w3c", "cases.json")));
        return [.. document.RootElement.GetProperty(name).EnumerateArray().Select(e => e.Clone())];
    }

    private static TheoryData<string> Raw(string section)
    {
        var data = new TheoryData<string>();
        foreach (JsonElement item in Section(section))
        {
            data.Add(item.GetRawText());
        }

        return data;
    }

    private static string Note(JsonElement item) =>
        item.TryGetProperty("note", out JsonElement note) ? note.GetString()! : item.GetRawText();
}
