using System.Text.Json.Serialization;

namespace Musubi.Monitoring.Sqlite.Quality;

[JsonSerializable(typeof(string[]))]
internal sealed partial class QualityJsonContext : JsonSerializerContext;
