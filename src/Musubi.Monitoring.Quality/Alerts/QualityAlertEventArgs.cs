namespace Musubi.Monitoring.Quality;

/// <summary>The data of <see cref="QualityCollector.AlertRaised"/>.</summary>
public sealed class QualityAlertEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    /// <param name="alert">The alert.</param>
    /// <exception cref="ArgumentNullException"><paramref name="alert"/> is <see langword="null"/>.</exception>
    public QualityAlertEventArgs(QualityAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        Alert = alert;
    }

    /// <summary>The alert.</summary>
    public QualityAlert Alert { get; }
}
