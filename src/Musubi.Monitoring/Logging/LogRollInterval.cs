namespace Musubi.Monitoring.Logging;

/// <summary>When the file logger starts a new file regardless of its size.</summary>
public enum LogRollInterval
{
    /// <summary>Never by time: files roll only on size (<c>app.log</c>, <c>app_001.log</c>, …).</summary>
    None,

    /// <summary>
    /// A new file for each UTC day of the records' timestamps (<c>app.20261203.log</c>, <c>app.20261203_001.log</c>, …).
    /// </summary>
    Day,
}
