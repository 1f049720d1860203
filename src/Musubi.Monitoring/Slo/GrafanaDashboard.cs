using System.Text.Json;

namespace Musubi.Monitoring.Slo;

/// <summary>Writes the SLO dashboard of <see cref="MonitoringConfig.ToGrafanaDashboard"/>.</summary>
internal static class GrafanaDashboard
{
    private const int Width = 8;
    private const int Height = 8;

    public static void Write(Utf8JsonWriter json, string uid, string service, IEnumerable<ServiceLevelObjective> slos)
    {
        json.WriteStartObject();
        json.WriteString("uid", uid);
        json.WriteString("title", $"{service} SLOs");
        json.WriteStartArray("tags");
        json.WriteStringValue("musubi");
        json.WriteStringValue("slo");
        json.WriteEndArray();
        json.WriteString("timezone", "utc");
        json.WriteNumber("schemaVersion", 39);
        json.WriteNumber("version", 1);
        json.WriteString("refresh", "1m");
        json.WriteStartObject("time");
        json.WriteString("from", "now-6h");
        json.WriteString("to", "now");
        json.WriteEndObject();
        json.WriteStartObject("templating");
        json.WriteStartArray("list");
        json.WriteStartObject();
        json.WriteString("name", "datasource");
        json.WriteString("label", "Data source");
        json.WriteString("type", "datasource");
        json.WriteString("query", "prometheus");
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();

        json.WriteStartArray("panels");
        int id = 1;
        int y = 0;
        foreach (ServiceLevelObjective slo in slos)
        {
            string select = $"{{slo={LabelMatcher.Quote(slo.Id)}}}";
            json.WriteStartObject();
            json.WriteNumber("id", id++);
            json.WriteString("type", "row");
            json.WriteString("title", $"{slo.Id}: {slo.Objective} over {SloNumber.Duration(slo.Period)}");
            json.WriteBoolean("collapsed", false);
            GridPos(json, 0, y, 24, 1);
            json.WriteStartArray("panels");
            json.WriteEndArray();
            json.WriteEndObject();
            y++;

            TimeSpan shortest = slo.Windows[0];
            Panel(json, id++, "timeseries", "SLI vs objective", 0, y, "percentunit",
                [($"1 - {SloRules.ErrorRatioRecord(shortest)}{select}", $"SLI ({SloNumber.Duration(shortest)})"),
                 ($"1 - {SloRules.ErrorRatioRecord(slo.Period)}{select}", $"SLI ({SloNumber.Duration(slo.Period)})"),
                 ($"vector({SloNumber.Format(slo.Objective.Value)})", "objective")]);
            Panel(json, id++, "timeseries", "Burn rate (1 = budget spent exactly over the period)", Width, y, "none",
                [.. slo.Tiers.Select(t => t.LongWindow).Distinct().Order().Select(w =>
                    ($"{SloRules.ErrorRatioRecord(w)}{select} / {SloNumber.Format(slo.ErrorBudget)}", SloNumber.Duration(w)))]);
            Panel(json, id++, "stat", "Error budget remaining", 2 * Width, y, "percentunit",
                [($"slo:error_budget:remaining{select}", "remaining")]);
            y += Height;
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Panel(Utf8JsonWriter json, int id, string type, string title, int x, int y, string unit, (string Expr, string Legend)[] targets)
    {
        json.WriteStartObject();
        json.WriteNumber("id", id);
        json.WriteString("type", type);
        json.WriteString("title", title);
        json.WriteStartObject("datasource");
        json.WriteString("type", "prometheus");
        json.WriteString("uid", "${datasource}");
        json.WriteEndObject();
        GridPos(json, x, y, Width, Height);
        json.WriteStartObject("fieldConfig");
        json.WriteStartObject("defaults");
        json.WriteString("unit", unit);
        json.WriteEndObject();
        json.WriteStartObject("overrides");
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteStartArray("targets");
        for (int i = 0; i < targets.Length; i++)
        {
            json.WriteStartObject();
            json.WriteString("refId", ((char)('A' + i)).ToString());
            json.WriteString("expr", targets[i].Expr);
            json.WriteString("legendFormat", targets[i].Legend);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void GridPos(Utf8JsonWriter json, int x, int y, int w, int h)
    {
        json.WriteStartObject("gridPos");
        json.WriteNumber("h", h);
        json.WriteNumber("w", w);
        json.WriteNumber("x", x);
        json.WriteNumber("y", y);
        json.WriteEndObject();
    }
}
