using System.Globalization;
using System.Text.Json;
using Musubi.Monitoring.Releases;

namespace Musubi.Monitoring.Releases.Tests.Flags;

/// <summary>Finds and reads the Unleash client specification files (the <c>state</c>, <c>tests</c> and <c>variantTests</c> of each).</summary>
internal static class UnleashSpecification
{
    /// <summary>Set to another folder of specification files (for example a checkout of unleash/client-specification's <c>specifications</c>) to run those instead.</summary>
    public const string DirectoryVariable = "MUSUBI_UNLEASH_SPEC_DIR";

    public static string Directory
    {
        get
        {
            string? overridden = Environment.GetEnvironmentVariable(DirectoryVariable);
            if (!string.IsNullOrEmpty(overridden))
            {
                return overridden;
            }

            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Musubi.Monitoring.sln")))
            {
                dir = dir.Parent;
            }

            if (dir is null)
            {
                throw new InvalidOperationException($"No Musubi.Monitoring.sln above {AppContext.BaseDirectory}.");
            }

            return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "conformance", "unleash"));
        }
    }

    public static IEnumerable<string> Files() =>
        System.IO.Directory.EnumerateFiles(Directory, "*.json")
            .Where(f => !Path.GetFileName(f).Equals("index.json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    public static JsonElement Load(string fileName)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Directory, fileName)));
        return document.RootElement.Clone();
    }

    public static FeatureFlagContext Context(JsonElement context)
    {
        var result = new FeatureFlagContext();
        foreach (JsonProperty p in context.EnumerateObject())
        {
            string? text = p.Value.ValueKind switch
            {
                JsonValueKind.String => p.Value.GetString(),
                JsonValueKind.Null => null,
                _ => p.Value.GetRawText(),
            };
            switch (p.Name)
            {
                case "userId":
                    result.UserId = text;
                    break;
                case "sessionId":
                    result.SessionId = text;
                    break;
                case "remoteAddress":
                    result.RemoteAddress = text;
                    break;
                case "environment":
                    result.Environment = text;
                    break;
                case "appName":
                    result.AppName = text;
                    break;
                case "currentTime":
                    result.CurrentTime = DateTimeOffset.Parse(text!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                    break;
                case "properties":
                    foreach (JsonProperty property in p.Value.EnumerateObject())
                    {
                        result.Properties[property.Name] = property.Value.ValueKind switch
                        {
                            JsonValueKind.String => property.Value.GetString(),
                            JsonValueKind.Null => null,
                            _ => property.Value.GetRawText(),
                        };
                    }

                    break;
                default:
                    result.Properties[p.Name] = text;
                    break;
            }
        }

        return result;
    }
}
