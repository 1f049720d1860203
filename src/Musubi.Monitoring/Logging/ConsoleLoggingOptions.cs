namespace Musubi.Monitoring.Logging;

/// <summary>Options for the Musubi console logger (<c>AddConsoleLogging</c>).</summary>
/// <remarks>Read once when the provider is built; later changes to this object have no effect.</remarks>
public sealed class ConsoleLoggingOptions
{
    /// <summary>Gets or sets how each record is written.</summary>
    /// <value>The default is <see cref="LogFormat.Json"/>: one JSON object per line, as log collectors read it.</value>
    public LogFormat Format { get; set; } = LogFormat.Json;
}
