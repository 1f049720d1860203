using System.Globalization;

namespace Musubi.Monitoring.Quality;

/// <summary>The argument checks every <see cref="IQualityHistoryStore"/> shares, so they fail alike.</summary>
internal static class QualityHistoryArguments
{
    /// <summary>Checks the count of <see cref="IQualityHistoryStore.GetLatestAsync"/>.</summary>
    /// <param name="count">The count.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    internal static void CheckCount(int count)
    {
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, string.Create(CultureInfo.InvariantCulture, $"count is {count}; read 1 snapshot or more."));
        }
    }

    /// <summary>Checks the range of <see cref="IQualityHistoryStore.GetRangeAsync"/>.</summary>
    /// <param name="since">The first instant included.</param>
    /// <param name="until">The first instant excluded.</param>
    /// <exception cref="ArgumentException"><paramref name="until"/> is before <paramref name="since"/>.</exception>
    internal static void CheckRange(DateTimeOffset since, DateTimeOffset until)
    {
        if (until < since)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The range ends at {until:O}, before it starts at {since:O}."), nameof(until));
        }
    }
}
