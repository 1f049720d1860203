using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Musubi.Monitoring.Logging;

namespace Musubi.Monitoring.Tests.Logging;

/// <summary>A fresh directory under the temp path, deleted with everything in it on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "musubi-logging-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>The log files in the directory, by name.</summary>
    public string[] Files(string pattern = "*") => [.. Directory.GetFiles(Path, pattern).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal)!];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Collects the events of the <c>Musubi-Monitoring</c> event source while it lives.</summary>
internal sealed class MonitoringEventListener : EventListener
{
    public ConcurrentQueue<EventWrittenEventArgs> Events { get; } = new();

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Musubi-Monitoring")
        {
            EnableEvents(eventSource, EventLevel.Verbose);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData) => Events.Enqueue(eventData);

    public EventWrittenEventArgs[] Named(string name, string payloadContains) =>
        [.. Events.Where(e => e.EventName == name && e.Payload is { } p && p.Any(v => v?.ToString()?.Contains(payloadContains, StringComparison.Ordinal) == true))];
}

internal static class LoggingTestSupport
{
    public static readonly DateTimeOffset Start = new(2026, 12, 3, 18, 40, 0, 123, TimeSpan.Zero);

    public static FakeTimeProvider Clock() => new(Start);

    public static MusubiMonitoringOptions Service(string name = "checkout", string? version = "1.2.3", string? environment = "production") =>
        new() { ServiceName = name, ServiceVersion = version, Environment = environment };

    /// <summary>A console provider writing to a <see cref="StringWriter"/>, inside a logger factory (so scopes work).</summary>
    public static (ILoggerFactory Factory, StringWriter Output) Console(LogFormat format = LogFormat.Json, TimeProvider? time = null, MusubiMonitoringOptions? service = null)
    {
        var output = new StringWriter();
        var provider = new MusubiConsoleLoggerProvider(new ConsoleLoggingOptions { Format = format }, service ?? Service(), time ?? Clock(), output);
        ILoggerFactory factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(provider));
        return (factory, output);
    }

    public static string[] Lines(StringWriter output)
    {
        string text = output.ToString();
        Assert.EndsWith("\n", text);
        return text[..^1].Split('\n');
    }

    public static JsonElement SingleJson(StringWriter output)
    {
        string line = Assert.Single(Lines(output));
        using JsonDocument document = JsonDocument.Parse(line);
        return document.RootElement.Clone();
    }

    public static string[] ReadLines(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length == 0)
        {
            return [];
        }

        Assert.False(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble), "The file starts with a byte-order mark.");
        Assert.Equal((byte)'\n', bytes[^1]);
        Assert.DoesNotContain((byte)'\r', bytes);
        return Encoding.UTF8.GetString(bytes)[..^1].Split('\n');
    }

    public static MusubiFileLoggerProvider FileProvider(FileLoggingOptions options, TimeProvider? time = null, Func<CancellationToken, Task>? beforeBatch = null) =>
        new(options, Service(), time ?? TimeProvider.System, beforeBatch);
}
