namespace Musubi.Monitoring.Releases;

/// <summary>Where a release is in its lifecycle; see <see cref="Release"/> for the allowed moves.</summary>
public enum ReleaseStatus
{
    /// <summary>Being planned; the first status.</summary>
    Planning,

    /// <summary>Being built.</summary>
    Development,

    /// <summary>Being tested.</summary>
    Testing,

    /// <summary>Deployed to staging.</summary>
    Staging,

    /// <summary>Deployed to a part of production.</summary>
    Canary,

    /// <summary>Deployed to all of production.</summary>
    Production,

    /// <summary>Done: deployed and settled. Final.</summary>
    Completed,

    /// <summary>Taken back out of canary or production; can go back to development to fix forward.</summary>
    RolledBack,

    /// <summary>Abandoned before it reached users. Final.</summary>
    Cancelled,
}

/// <summary>What kind of release it is.</summary>
public enum ReleaseType
{
    /// <summary>Incompatible changes: the major version goes up.</summary>
    Major,

    /// <summary>New, compatible features: the minor version goes up.</summary>
    Minor,

    /// <summary>Compatible fixes: the patch version goes up.</summary>
    Patch,

    /// <summary>An urgent fix outside the release train: the patch version goes up.</summary>
    Hotfix,

    /// <summary>A pre-release (such as <c>2.0.0-canary.1</c>) tried on part of production.</summary>
    Canary,
}

/// <summary>What a <see cref="ReleaseChange"/> is.</summary>
public enum ReleaseChangeKind
{
    /// <summary>A new feature.</summary>
    Feature,

    /// <summary>A bug fix.</summary>
    BugFix,

    /// <summary>A change users must adapt to; listed first in release notes.</summary>
    BreakingChange,
}
