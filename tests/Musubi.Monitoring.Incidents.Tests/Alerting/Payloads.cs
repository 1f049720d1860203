namespace Musubi.Monitoring.Incidents.Tests.Alerting;

/// <summary>Alertmanager webhook payloads written from Alertmanager's webhook documentation (version 4).</summary>
internal static class Payloads
{
    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Alerting", "Payloads", name + ".json"));
}
