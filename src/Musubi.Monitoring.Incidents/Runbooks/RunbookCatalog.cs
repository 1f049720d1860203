using System.Collections.Immutable;
using System.Globalization;

namespace Musubi.Monitoring.Incidents;

/// <summary>
/// Keeps every version of every runbook. A new version of a runbook must be higher than the ones already added, so an
/// execution can always name the exact version it followed.
/// </summary>
/// <remarks>Thread-safe: every call takes one lock.</remarks>
public sealed class RunbookCatalog
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ImmutableArray<Runbook>> _versions = new(StringComparer.Ordinal);

    /// <summary>Gets the ids of the runbooks held, in ordinal order.</summary>
    public ImmutableArray<string> Ids
    {
        get
        {
            lock (_lock)
            {
                return [.. _versions.Keys.Order(StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>Adds a runbook, or a new version of one.</summary>
    /// <param name="runbook">The runbook; its version must be higher than every version held for its id.</param>
    /// <exception cref="ArgumentNullException"><paramref name="runbook"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The catalog holds this or a later version of the runbook (the message names both).</exception>
    public void Add(Runbook runbook)
    {
        ArgumentNullException.ThrowIfNull(runbook);
        lock (_lock)
        {
            ImmutableArray<Runbook> held = _versions.GetValueOrDefault(runbook.Id, []);
            if (!held.IsEmpty && held[^1].Version >= runbook.Version)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"Runbook '{runbook.Id}' is at version {held[^1].Version}; a new version must be higher than that, not {runbook.Version}."),
                    nameof(runbook));
            }

            _versions[runbook.Id] = held.Add(runbook);
        }
    }

    /// <summary>Gets the latest version of a runbook.</summary>
    /// <param name="id">The runbook id.</param>
    /// <returns>The runbook.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is null or white space.</exception>
    /// <exception cref="KeyNotFoundException">No runbook has the id.</exception>
    public Runbook Get(string id) => GetVersions(id)[^1];

    /// <summary>Gets one version of a runbook.</summary>
    /// <param name="id">The runbook id.</param>
    /// <param name="version">The version.</param>
    /// <returns>The runbook.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is null or white space.</exception>
    /// <exception cref="KeyNotFoundException">No runbook has the id, or it has no such version (the message lists the versions held).</exception>
    public Runbook Get(string id, int version)
    {
        ImmutableArray<Runbook> versions = GetVersions(id);
        return versions.FirstOrDefault(r => r.Version == version)
            ?? throw new KeyNotFoundException(string.Create(CultureInfo.InvariantCulture,
                $"Runbook '{id}' has no version {version}; it has {string.Join(", ", versions.Select(r => r.Version))}."));
    }

    /// <summary>Gets every version of a runbook, oldest first.</summary>
    /// <param name="id">The runbook id.</param>
    /// <returns>The versions; never empty.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is null or white space.</exception>
    /// <exception cref="KeyNotFoundException">No runbook has the id.</exception>
    public ImmutableArray<Runbook> GetVersions(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        lock (_lock)
        {
            return _versions.TryGetValue(id, out ImmutableArray<Runbook> versions)
                ? versions
                : throw new KeyNotFoundException($"No runbook has id '{id}'.");
        }
    }
}
