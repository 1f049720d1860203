using System.Text.Json.Serialization;

namespace Musubi.Monitoring.Sqlite.Costs;

[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class CostJsonContext : JsonSerializerContext;
