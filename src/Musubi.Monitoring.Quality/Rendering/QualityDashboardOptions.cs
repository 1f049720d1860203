using System.Globalization;

namespace Musubi.Monitoring.Quality;

/// <summary>How <see cref="QualityDashboard.ToText"/> lays out the text dashboard.</summary>
/// <remarks>Read when the dashboard is rendered; not shared state.</remarks>
public sealed class QualityDashboardOptions
{
    /// <summary>The narrowest allowed <see cref="Width"/>.</summary>
    public const int MinWidth = 40;

    /// <summary>The widest allowed <see cref="Width"/>.</summary>
    public const int MaxWidth = 1000;

    /// <summary>
    /// Gets or sets the width in columns the dashboard must fit, such as the terminal's width. No line is longer: the
    /// bar column is dropped first, then the threshold column, then long metric ids are shortened with an ellipsis;
    /// free text (gate results, sources, warnings) is wrapped between words. A table row never wraps.
    /// </summary>
    /// <value>The default is 80. From 40 to 1000.</value>
    public int Width { get; set; } = 80;

    /// <summary>
    /// Gets or sets whether Unicode marks and bars are used (<c>✔ ⚠ ✖ ?</c> and <c>█░</c>), or plain ASCII
    /// (<c>[OK] [WARN] [CRIT] [UNKNOWN]</c> and <c>#.</c>) for a terminal or log that cannot show them.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool Unicode { get; set; } = true;

    /// <summary>Gets or sets the number of cells of a percentage's bar (100% fills them all; a bar never fills a cell it has not fully reached).</summary>
    /// <value>The default is 20. From 5 to 100.</value>
    public int BarWidth { get; set; } = 20;

    internal void Validate()
    {
        if (Width is < MinWidth or > MaxWidth)
        {
            throw new ArgumentOutOfRangeException(nameof(Width), Width, string.Create(CultureInfo.InvariantCulture, $"QualityDashboardOptions.Width is {Width}; use {MinWidth} to {MaxWidth}."));
        }

        if (BarWidth is < 5 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(BarWidth), BarWidth, string.Create(CultureInfo.InvariantCulture, $"QualityDashboardOptions.BarWidth is {BarWidth}; use 5 to 100."));
        }
    }
}
