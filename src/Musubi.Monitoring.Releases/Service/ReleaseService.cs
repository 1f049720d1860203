using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Musubi.Monitoring.Releases;

/// <summary>
/// Plans and changes releases in an <see cref="IReleaseStore"/> on the injected <see cref="TimeProvider"/>: ids, times,
/// and retries on concurrent changes. Registered by <c>.AddReleases()</c>.
/// </summary>
/// <remarks>
/// Thread-safe. Every change is read, applied to the stored revision and saved in one store call; when another writer
/// saved first (<see cref="ReleaseConflictException"/>), the change is applied again to the fresh copy, up to
/// <see cref="ReleaseOptions.ConflictRetries"/> times. Changes that make no difference are not saved.
/// </remarks>
public sealed class ReleaseService
{
    private const string IdAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

    private readonly IReleaseStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly string _idPrefix;
    private readonly int _conflictRetries;

    /// <summary>Initializes a new instance of the <see cref="ReleaseService"/> class.</summary>
    /// <param name="store">Where releases are kept.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for the system clock.</param>
    /// <param name="options">The options, copied now; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> are invalid (the message names each bad option).</exception>
    public ReleaseService(IReleaseStore store, TimeProvider? timeProvider = null, ReleaseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        options ??= new ReleaseOptions();
        ValidateOptionsResult result = new ReleaseOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new ArgumentException(result.FailureMessage, nameof(options));
        }

        _store = store;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _idPrefix = options.IdPrefix;
        _conflictRetries = options.ConflictRetries;
    }

    /// <summary>Gets the store the service writes to.</summary>
    public IReleaseStore Store => _store;

    /// <summary>Plans a release now, with a new id.</summary>
    /// <param name="title">The title.</param>
    /// <param name="version">The version.</param>
    /// <param name="type">The type.</param>
    /// <param name="actor">Who plans it.</param>
    /// <param name="previousVersion">The version released before, if known: then <paramref name="type"/> must fit (see <see cref="Release.CheckType"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The release as stored.</returns>
    /// <exception cref="ArgumentException"><paramref name="title"/> or <paramref name="actor"/> is null or white space, or
    /// <paramref name="type"/> does not fit the step from <paramref name="previousVersion"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not defined.</exception>
    public async Task<Release> PlanAsync(
        string title, SemanticVersion version, ReleaseType type, string actor, SemanticVersion? previousVersion = null, CancellationToken cancellationToken = default)
    {
        // Checked once before any id is drawn, so a bad argument throws without touching the store.
        _ = Release.Plan("check", title, version, type, actor, default, previousVersion);
        for (int attempt = 0; ; attempt++)
        {
            Release release = Release.Plan(NewId(), title, version, type, actor, _timeProvider.GetUtcNow(), previousVersion);
            try
            {
                return await _store.AddAsync(release, cancellationToken).ConfigureAwait(false);
            }
            catch (ReleaseConflictException) when (attempt < 3)
            {
                // Ids are random (32^6 per day); a clash only needs a new one.
            }
        }
    }

    /// <summary>Reads one release.</summary>
    /// <param name="id">The id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The release, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is null or white space.</exception>
    public Task<Release?> GetAsync(string id, CancellationToken cancellationToken = default) => _store.GetAsync(id, cancellationToken);

    /// <summary>Lists releases, newest first.</summary>
    /// <param name="query">Filters and page; <see langword="null"/> for the first 50.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page and the total.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The page is invalid.</exception>
    public Task<ReleasePage> ListAsync(ReleaseQuery? query = null, CancellationToken cancellationToken = default) =>
        _store.ListAsync(query ?? new ReleaseQuery(), cancellationToken);

    /// <summary>
    /// Applies a change to the stored release and saves it, applying it again to a fresh copy when another writer saved
    /// first.
    /// </summary>
    /// <param name="id">The release's id.</param>
    /// <param name="change">Makes the change from the stored release and the current time (it may run more than once).
    /// Returning the same instance saves nothing.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The release as stored.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is null or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="change"/> is <see langword="null"/>.</exception>
    /// <exception cref="KeyNotFoundException">No release has the id.</exception>
    /// <exception cref="ReleaseConflictException">Other writers kept saving first, more than <see cref="ReleaseOptions.ConflictRetries"/> times.</exception>
    /// <exception cref="InvalidOperationException">The change returned null or another release, or threw it (such as a move the lifecycle does not allow).</exception>
    public async Task<Release> ChangeAsync(string id, Func<Release, DateTimeOffset, Release> change, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(change);
        for (int attempt = 0; ; attempt++)
        {
            Release current = await _store.GetAsync(id, cancellationToken).ConfigureAwait(false)
                ?? throw new KeyNotFoundException($"No release has id {id}.");
            Release changed = change(current, _timeProvider.GetUtcNow())
                ?? throw new InvalidOperationException($"The change of release {id} returned null; return the release (changed or not).");
            if (ReferenceEquals(changed, current))
            {
                return current;
            }

            if (changed.Id != current.Id || changed.Revision != current.Revision)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"The change of release {id} returned release {changed.Id} at revision {changed.Revision}; change the release it is given."));
            }

            try
            {
                return await _store.UpdateAsync(changed, cancellationToken).ConfigureAwait(false);
            }
            catch (ReleaseConflictException) when (attempt < _conflictRetries)
            {
            }
        }
    }

    /// <summary>Moves a release to another status now (see <see cref="Release"/> for the transition table).</summary>
    /// <param name="id">The release's id.</param>
    /// <param name="status">The new status.</param>
    /// <param name="actor">Who moves it.</param>
    /// <param name="note">Why, for the history.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The release as stored.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> or <paramref name="actor"/> is null or white space.</exception>
    /// <exception cref="KeyNotFoundException">No release has the id.</exception>
    /// <exception cref="InvalidOperationException">The move is not allowed (the message names both statuses and the allowed ones).</exception>
    public Task<Release> TransitionAsync(string id, ReleaseStatus status, string actor, string? note = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        return ChangeAsync(id, (r, now) => r.TransitionTo(status, actor, now, note), cancellationToken);
    }

    /// <summary>Adds changes to a release.</summary>
    /// <param name="id">The release's id.</param>
    /// <param name="changes">The changes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The release as stored.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is null or white space, or a change is not valid.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="changes"/> or one of them is <see langword="null"/>.</exception>
    /// <exception cref="KeyNotFoundException">No release has the id.</exception>
    /// <exception cref="InvalidOperationException">The release is final.</exception>
    public Task<Release> AddChangesAsync(string id, IEnumerable<ReleaseChange> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ReleaseChange[] list = [.. changes];
        foreach (ReleaseChange change in list)
        {
            ArgumentNullException.ThrowIfNull(change, nameof(changes));
            change.Validate();
        }

        return ChangeAsync(id, (r, _) => r.WithChanges(list), cancellationToken);
    }

    /// <summary>Computes the summary statistics of the releases created in a period (see <see cref="ReleaseStatistics"/>).</summary>
    /// <param name="from">The start of the period (inclusive).</param>
    /// <param name="to">The end (exclusive); <see langword="null"/> for now (what happened now included).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="ArgumentException">The period ends at or before it starts.</exception>
    public async Task<ReleaseStatistics> GetStatisticsAsync(DateTimeOffset from, DateTimeOffset? to = null, CancellationToken cancellationToken = default)
    {
        // "Now" includes what happened at this very tick (a release deployed just now counts).
        DateTimeOffset end = to ?? _timeProvider.GetUtcNow().AddTicks(1);
        if (end <= from)
        {
            throw new ArgumentException(FormattableString.Invariant($"The period ends ({end:O}) at or before it starts ({from:O})."), nameof(to));
        }

        var releases = new List<Release>();
        for (int skip = 0; ; skip += 1000)
        {
            ReleasePage page = await _store.ListAsync(new ReleaseQuery { Since = from, Skip = skip, Take = 1000 }, cancellationToken).ConfigureAwait(false);
            releases.AddRange(page.Items.Where(r => r.CreatedAt < end));
            if (page.Items.Count < 1000)
            {
                break;
            }
        }

        return ReleaseStatistics.Compute(releases, from, end);
    }

    private string NewId()
    {
        Span<char> suffix = stackalloc char[6];
        for (int i = 0; i < suffix.Length; i++)
        {
            suffix[i] = IdAlphabet[RandomNumberGenerator.GetInt32(IdAlphabet.Length)];
        }

        return string.Create(CultureInfo.InvariantCulture, $"{_idPrefix}-{_timeProvider.GetUtcNow():yyyyMMdd}-{suffix}");
    }
}
