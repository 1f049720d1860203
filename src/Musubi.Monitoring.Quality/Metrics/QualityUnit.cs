namespace Musubi.Monitoring.Quality;

/// <summary>What a quality metric's value counts.</summary>
public enum QualityUnit
{
    /// <summary>A share from 0 to 100.</summary>
    Percent = 0,

    /// <summary>A whole number of things, such as flaky tests.</summary>
    Count = 1,

    /// <summary>Any other number, such as a complexity score fed by the host.</summary>
    Number = 2,
}
