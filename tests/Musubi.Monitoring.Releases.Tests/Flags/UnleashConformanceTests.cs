using System.Text.Json;
using Musubi.Monitoring.Releases;

namespace Musubi.Monitoring.Releases.Tests.Flags;

public sealed class UnleashConformanceTests
{
    public static TheoryData<string, string, int> Cases()
    {
        var data = new TheoryData<string, string, int>();
        foreach (string file in UnleashSpecification.Files())
        {
            string name = Path.GetFileName(file);
            JsonElement spec = UnleashSpecification.Load(name);
            foreach (string kind in new[] { "tests", "variantTests" })
            {
                if (spec.TryGetProperty(kind, out JsonElement cases))
                {
                    for (int i = 0; i < cases.GetArrayLength(); i++)
                    {
                        data.Add(name, kind, i);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Specification_Case_GivesTheExpectedResult(string file, string kind, int index)
    {
        JsonElement spec = UnleashSpecification.Load(file);
        var flags = new FeatureFlags(FlagSnapshot.FromUnleashJson(spec.GetProperty("state").GetRawText()));
        JsonElement test = spec.GetProperty(kind)[index];
        string description = test.GetProperty("description").GetString()!;
        string toggle = test.GetProperty("toggleName").GetString()!;
        FeatureFlagContext context = UnleashSpecification.Context(test.GetProperty("context"));
        JsonElement expected = test.GetProperty("expectedResult");

        if (kind == "tests")
        {
            Assert.True(expected.GetBoolean() == flags.IsEnabled(toggle, context), description);
            Assert.Equal(expected.GetBoolean(), flags.Evaluate(toggle, context).Value);
            return;
        }

        FlagVariant variant = flags.GetVariant(toggle, context);
        Assert.True(expected.GetProperty("name").GetString() == variant.Name, $"{description}: got {variant}");
        Assert.Equal(expected.GetProperty("enabled").GetBoolean(), variant.Enabled);
        if (expected.TryGetProperty("feature_enabled", out JsonElement featureEnabled))
        {
            Assert.Equal(featureEnabled.GetBoolean(), variant.FeatureEnabled);
        }

        if (expected.TryGetProperty("payload", out JsonElement payload))
        {
            Assert.Equal(payload.GetProperty("type").GetString(), variant.PayloadType);
            Assert.Equal(payload.GetProperty("value").GetString(), variant.PayloadValue);
        }
        else
        {
            Assert.Null(variant.PayloadType);
        }
    }

    [Fact]
    public void Specification_EveryFile_HasCasesAndLoads()
    {
        string[] files = [.. UnleashSpecification.Files()];
        Assert.NotEmpty(files);
        foreach (string file in files)
        {
            JsonElement spec = UnleashSpecification.Load(Path.GetFileName(file));
            int cases = (spec.TryGetProperty("tests", out JsonElement t) ? t.GetArrayLength() : 0) +
                (spec.TryGetProperty("variantTests", out JsonElement v) ? v.GetArrayLength() : 0);
            Assert.True(cases > 0, $"{file} has no cases");
            FlagSnapshot snapshot = FlagSnapshot.FromUnleashJson(spec.GetProperty("state").GetRawText());
            Assert.Equal(spec.GetProperty("state").GetProperty("features").GetArrayLength(), snapshot.Count);
        }
    }
}
