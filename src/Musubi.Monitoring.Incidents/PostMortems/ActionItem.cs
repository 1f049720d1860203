using System.Collections.Immutable;

namespace Musubi.Monitoring.Incidents;

/// <summary>
/// One follow-up of a post-mortem: what to do, of which type, who owns it, by when, and where it stands.
/// </summary>
/// <remarks>
/// Thread-safe (immutable). Every property is checked when it is set, also in a <see langword="with"/> expression, so
/// an action item never holds a blank description or owner or an undefined type or status.
/// </remarks>
public sealed record ActionItem
{
    /// <summary>Creates an action item.</summary>
    /// <param name="description">What to do; non-empty.</param>
    /// <param name="type">Mitigate, prevent or process.</param>
    /// <param name="owner">Who owns it (a person or a team); non-empty.</param>
    /// <param name="dueDate">When it is due.</param>
    /// <param name="status">Where it stands; <see cref="ActionItemStatus.Open"/> unless given.</param>
    /// <exception cref="ArgumentException"><paramref name="description"/> or <paramref name="owner"/> is null or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> or <paramref name="status"/> is not a defined value.</exception>
    public ActionItem(string description, ActionItemType type, string owner, DateOnly dueDate, ActionItemStatus status = ActionItemStatus.Open)
    {
        Description = description;
        Type = type;
        Owner = owner;
        DueDate = dueDate;
        Status = status;
    }

    /// <summary>Gets what to do.</summary>
    /// <exception cref="ArgumentException">Set to a value that is null or white space.</exception>
    public string Description
    {
        get;
        init
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value, nameof(Description));
            field = value;
        }
    }

    /// <summary>Gets the type: mitigate, prevent or process.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not defined.</exception>
    public ActionItemType Type
    {
        get;
        init => field = Enum.IsDefined(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Type), value, "Use Mitigate, Prevent or Process.");
    }

    /// <summary>Gets who owns it.</summary>
    /// <exception cref="ArgumentException">Set to a value that is null or white space.</exception>
    public string Owner
    {
        get;
        init
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value, nameof(Owner));
            field = value;
        }
    }

    /// <summary>Gets when it is due.</summary>
    public DateOnly DueDate { get; init; }

    /// <summary>Gets where it stands.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not defined.</exception>
    public ActionItemStatus Status
    {
        get;
        init => field = Enum.IsDefined(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Status), value, "Use Open, InProgress, Done or WontDo.");
    }
}

/// <summary>
/// The lessons of a post-mortem, in the three lists of the Google SRE template. Entries are about what happened and
/// what the system and the process did, not about who made a mistake.
/// </summary>
/// <remarks>
/// Thread-safe (immutable). The lists are checked when set: a default array becomes empty, and a blank entry is
/// refused.
/// </remarks>
public sealed record LessonsLearned
{
    /// <summary>Gets an instance with three empty lists.</summary>
    public static LessonsLearned Empty { get; } = new();

    /// <summary>Gets what went well.</summary>
    /// <exception cref="ArgumentException">Set to a list with an entry that is null or white space.</exception>
    public ImmutableArray<string> WentWell { get; init => field = Checked(value, nameof(WentWell)); } = [];

    /// <summary>Gets what went wrong.</summary>
    /// <exception cref="ArgumentException">Set to a list with an entry that is null or white space.</exception>
    public ImmutableArray<string> WentWrong { get; init => field = Checked(value, nameof(WentWrong)); } = [];

    /// <summary>Gets where we got lucky.</summary>
    /// <exception cref="ArgumentException">Set to a list with an entry that is null or white space.</exception>
    public ImmutableArray<string> GotLucky { get; init => field = Checked(value, nameof(GotLucky)); } = [];

    /// <summary>Gets whether all three lists are empty.</summary>
    public bool IsEmpty => WentWell.IsEmpty && WentWrong.IsEmpty && GotLucky.IsEmpty;

    /// <inheritdoc/>
    public bool Equals(LessonsLearned? other) =>
        other is not null
        && WentWell.SequenceEqual(other.WentWell, StringComparer.Ordinal)
        && WentWrong.SequenceEqual(other.WentWrong, StringComparer.Ordinal)
        && GotLucky.SequenceEqual(other.GotLucky, StringComparer.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(WentWell.Length, WentWrong.Length, GotLucky.Length);

    internal static ImmutableArray<string> Checked(ImmutableArray<string> value, string name)
    {
        if (value.IsDefault)
        {
            return [];
        }

        for (int i = 0; i < value.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(value[i]))
            {
                throw new ArgumentException($"Entry {i} of {name} is null or white space; remove it or write the lesson.", name);
            }
        }

        return value;
    }
}
