using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Musubi.Monitoring.AspNetCore.Tests.Support;

/// <summary>Collects the events of one event source, by name (the listener is process-wide, so tests look for their own).</summary>
internal sealed class CollectingEventListener : EventListener
{
    private readonly string _sourceName;

    public CollectingEventListener(string sourceName)
    {
        _sourceName = sourceName;
        foreach (EventSource source in EventSource.GetSources())
        {
            OnEventSourceCreated(source);
        }
    }

    public ConcurrentQueue<EventWrittenEventArgs> Events { get; } = new();

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        // Called by the base constructor before _sourceName is set; the constructor replays the sources.
        if (_sourceName is not null && eventSource.Name == _sourceName)
        {
            EnableEvents(eventSource, EventLevel.Verbose);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventSource.Name == _sourceName)
        {
            Events.Enqueue(eventData);
        }
    }
}
