using System.Diagnostics.Metrics;

namespace Musubi.Monitoring.AI.Tests;

/// <summary>Collects the measurements of one instrument of one meter with a <see cref="MeterListener"/>.</summary>
internal sealed class Collector<T> : IDisposable
    where T : struct
{
    private readonly MeterListener _listener = new();
    private readonly List<Measurement> _measurements = [];

    public Collector(Meter meter, string instrument)
    {
        _listener.InstrumentPublished = (i, l) =>
        {
            if (ReferenceEquals(i.Meter, meter) && i.Name == instrument)
            {
                l.EnableMeasurementEvents(i);
            }
        };
        _listener.SetMeasurementEventCallback<T>((_, value, tags, _) =>
        {
            var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            lock (_measurements)
            {
                _measurements.Add(new Measurement(value, copy));
            }
        });
        _listener.Start();
    }

    public IReadOnlyList<Measurement> GetMeasurementSnapshot()
    {
        lock (_measurements)
        {
            return [.. _measurements];
        }
    }

    public void Dispose() => _listener.Dispose();

    internal sealed record Measurement(T Value, IReadOnlyDictionary<string, object?> Tags);
}
