namespace Musubi.Monitoring.Logging;

/// <summary>What the file logger does with a record when its queue is full (the disk is behind).</summary>
public enum LogQueueFullMode
{
    /// <summary>The logging thread waits until the background writer has made room. Nothing is lost.</summary>
    Block,

    /// <summary>The record being logged is dropped and counted; the records already queued are kept.</summary>
    DropNewest,

    /// <summary>The oldest queued record is dropped and counted to make room for the record being logged.</summary>
    DropOldest,
}
