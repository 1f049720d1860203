namespace Musubi.Monitoring.Quality;

/// <summary>How a gate condition compares a metric's value with its expected value; always exactly, never rounded.</summary>
public enum QualityGateOperator
{
    /// <summary>The value must be at least the expected value (<c>&gt;=</c>): 79.999 fails "at least 80".</summary>
    AtLeast = 0,

    /// <summary>The value must be at most the expected value (<c>&lt;=</c>).</summary>
    AtMost = 1,

    /// <summary>The value must be less than the expected value (<c>&lt;</c>).</summary>
    LessThan = 2,

    /// <summary>The value must be greater than the expected value (<c>&gt;</c>).</summary>
    GreaterThan = 3,
}
