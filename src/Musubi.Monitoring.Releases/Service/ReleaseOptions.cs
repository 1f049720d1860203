namespace Musubi.Monitoring.Releases;

/// <summary>Options of <see cref="ReleaseService"/>, set with <c>.AddReleases(o => …)</c>.</summary>
/// <remarks>
/// Read once when the service is built; later changes have no effect. Checked when the host starts; the messages name
/// the bad option and value.
/// </remarks>
public sealed class ReleaseOptions
{
    /// <summary>Gets or sets the prefix of new release ids (<c>REL-20261204-7KQ2MD</c>).</summary>
    /// <value>The default is <c>REL</c>. 1 to 10 ASCII upper-case letters or digits, starting with a letter.</value>
    public string IdPrefix { get; set; } = "REL";

    /// <summary>
    /// Gets or sets how many times a change is re-applied to a fresh copy when another writer saved the release first
    /// (<see cref="ReleaseConflictException"/>), before the conflict is thrown to the caller.
    /// </summary>
    /// <value>The default is 5. From 0 to 100.</value>
    public int ConflictRetries { get; set; } = 5;
}
