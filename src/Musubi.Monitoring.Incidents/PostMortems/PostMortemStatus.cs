namespace Musubi.Monitoring.Incidents;

/// <summary>Where a post-mortem is in its review. See <see cref="PostMortem.CanTransition"/> for the allowed moves.</summary>
public enum PostMortemStatus
{
    /// <summary>Being written; editable.</summary>
    Draft,

    /// <summary>Submitted to reviewers; still editable (reviewers fix small things in place), and it can go back to draft.</summary>
    InReview,

    /// <summary>Published; read-only and final.</summary>
    Published,
}

/// <summary>What an action item does, as in the Google SRE post-mortem template.</summary>
public enum ActionItemType
{
    /// <summary>Reduces the impact or the duration of the next such incident.</summary>
    Mitigate,

    /// <summary>Stops this kind of incident from happening again.</summary>
    Prevent,

    /// <summary>Changes how people work: runbooks, on-call, reviews, training.</summary>
    Process,
}

/// <summary>Where an action item stands.</summary>
public enum ActionItemStatus
{
    /// <summary>Not started.</summary>
    Open,

    /// <summary>Being worked on.</summary>
    InProgress,

    /// <summary>Done.</summary>
    Done,

    /// <summary>Decided against; the post-mortem should say why.</summary>
    WontDo,
}
