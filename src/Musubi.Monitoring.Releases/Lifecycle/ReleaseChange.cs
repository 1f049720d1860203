namespace Musubi.Monitoring.Releases;

/// <summary>One change a release brings: a feature, a bug fix or a breaking change.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Description">What changed, for the release notes; non-empty.</param>
/// <param name="Reference">An issue or pull request (<c>#123</c>, a URL), if any.</param>
/// <param name="Author">Who made it, if named.</param>
/// <remarks>Thread-safe (immutable). Checked by <see cref="Validate"/> when it is added to a release.</remarks>
public sealed record ReleaseChange(ReleaseChangeKind Kind, string Description, string? Reference = null, string? Author = null)
{
    /// <summary>Throws when the change is not valid.</summary>
    /// <exception cref="ArgumentException"><see cref="Description"/> is null, white space, or only control characters.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="Kind"/> is not a defined kind.</exception>
    public void Validate()
    {
        // Control characters print as nothing (the notes turn them into spaces): a description of only those is blank.
        if (string.IsNullOrWhiteSpace(Description) || Description.All(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new ArgumentException($"The description of a {Kind} change is '{Description}'; describe the change.", nameof(Description));
        }

        if (!Enum.IsDefined(Kind))
        {
            throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Use Feature, BugFix or BreakingChange.");
        }
    }
}

/// <summary>
/// One entry of a release's history: a move between statuses (the first entry, the planning, has no <see cref="From"/>),
/// or a note recorded without a move (<see cref="From"/> equals <see cref="To"/>, see <see cref="Release.WithNote"/>).
/// </summary>
/// <param name="At">When.</param>
/// <param name="Actor">Who or what moved it.</param>
/// <param name="From">The status it left; <see langword="null"/> for the first entry.</param>
/// <param name="To">The status it entered.</param>
/// <param name="Note">Why, if given.</param>
public sealed record ReleaseTransition(DateTimeOffset At, string Actor, ReleaseStatus? From, ReleaseStatus To, string? Note = null);
