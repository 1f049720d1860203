using System.Diagnostics;

namespace Musubi.Monitoring.Correlation;

/// <summary>
/// What ties the work of one request together across threads and HTTP hops: the correlation id, the W3C baggage,
/// and the remote trace context the request arrived with. It flows through <see langword="await"/>,
/// <see cref="Task.Run(Action)"/> and thread-pool work like <see cref="Activity.Current"/> does.
/// </summary>
/// <remarks>
/// Instances are immutable and safe to share between threads. <see cref="Current"/> is per asynchronous flow:
/// <see cref="Begin"/> changes it for the calling flow and the flows it starts, and disposing the returned scope
/// restores what was there before.
/// </remarks>
public sealed class CorrelationContext
{
    private static readonly AsyncLocal<CorrelationContext?> s_current = new();

    // Set once any context with a remote parent has been made current: until then the tracer's hot path skips the
    // AsyncLocal read that looks for one.
    private static volatile bool s_remoteParentsInUse;

    /// <summary>Initializes a new instance of the <see cref="CorrelationContext"/> class.</summary>
    /// <param name="correlationId">The correlation id (see <see cref="CorrelationIds.IsValid(string)"/>).</param>
    /// <param name="baggage">The baggage members, in order; <see langword="null"/> for none.</param>
    /// <param name="remoteParent">The trace context the work arrived with; <see langword="default"/> for none.</param>
    /// <param name="traceState">
    /// The W3C <c>tracestate</c> that arrived with <paramref name="remoteParent"/> (default: the parent's own); an
    /// invalid one is dropped, as the specification says.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="correlationId"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="correlationId"/> is not a valid correlation id, or a baggage key is null or empty, or a baggage
    /// value is null.
    /// </exception>
    public CorrelationContext(
        string correlationId,
        IEnumerable<KeyValuePair<string, string>>? baggage = null,
        ActivityContext remoteParent = default,
        string? traceState = null)
    {
        ArgumentNullException.ThrowIfNull(correlationId);
        if (!CorrelationIds.IsValid(correlationId))
        {
            throw new ArgumentException(
                $"'{CorrelationIds.Describe(correlationId)}' is not a valid correlation id: use 1 to {CorrelationIds.MaxLength} characters from A-Z a-z 0-9 - _ . : / + = @.",
                nameof(correlationId));
        }

        KeyValuePair<string, string>[] members = baggage is null ? [] : [.. baggage];
        foreach (KeyValuePair<string, string> member in members)
        {
            if (string.IsNullOrEmpty(member.Key))
            {
                throw new ArgumentException("A baggage key is null or empty.", nameof(baggage));
            }

            if (member.Value is null)
            {
                throw new ArgumentException($"The baggage member '{CorrelationIds.Describe(member.Key)}' has a null value; use an empty string for none.", nameof(baggage));
            }
        }

        // An invalid tracestate is dropped, as the W3C specification says, so it can never be sent onwards.
        string? state = traceState ?? remoteParent.TraceState;
        state = state is null ? null : W3CTraceContext.ParseTraceState([state]);
        CorrelationId = correlationId;
        Baggage = members;
        RemoteParent = remoteParent == default
            ? default
            : new ActivityContext(remoteParent.TraceId, remoteParent.SpanId, remoteParent.TraceFlags, state, remoteParent.IsRemote);
        TraceState = state;
    }

    /// <summary>Gets the context of the current asynchronous flow, or <see langword="null"/> outside any.</summary>
    public static CorrelationContext? Current => s_current.Value;

    /// <summary>Gets the correlation id.</summary>
    public string CorrelationId { get; }

    /// <summary>Gets the baggage members, in the order they arrived or were added.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Baggage { get; }

    /// <summary>Gets the trace context the work arrived with; <see langword="default"/> when it started here.</summary>
    public ActivityContext RemoteParent { get; }

    /// <summary>Gets the valid W3C <c>tracestate</c> that arrived with <see cref="RemoteParent"/> (also its <see cref="ActivityContext.TraceState"/>), or <see langword="null"/>.</summary>
    public string? TraceState { get; }

    /// <summary>
    /// Gets the trace id of the work in progress: <see cref="Activity.Current"/>'s when there is a span, otherwise
    /// <see cref="RemoteParent"/>'s; <see langword="default"/> when there is neither.
    /// </summary>
    public static ActivityTraceId CurrentTraceId =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity ? activity.TraceId
        : s_current.Value is { } context ? context.RemoteParent.TraceId
        : default;

    /// <summary>
    /// Gets the remote parent of the current context when there is no <see cref="Activity.Current"/>: the parent a
    /// new span should have, so work traced inside <see cref="Begin"/> joins the trace it arrived with.
    /// </summary>
    internal static ActivityContext AmbientRemoteParent =>
        s_remoteParentsInUse && Activity.Current is null && s_current.Value is { } context ? context.RemoteParent : default;

    /// <summary>Gets the value of the first baggage member named <paramref name="key"/>, or <see langword="null"/>.</summary>
    /// <param name="key">The baggage key (case-sensitive, as the W3C specification says).</param>
    /// <returns>The value, or <see langword="null"/> when there is no such member.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    public string? GetBaggage(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        foreach (KeyValuePair<string, string> member in Baggage)
        {
            if (string.Equals(member.Key, key, StringComparison.Ordinal))
            {
                return member.Value;
            }
        }

        return null;
    }

    /// <summary>Returns a copy with <paramref name="key"/> set to <paramref name="value"/> (replacing an existing member).</summary>
    /// <param name="key">The baggage key.</param>
    /// <param name="value">The value.</param>
    /// <returns>A new context; this one is unchanged.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty.</exception>
    public CorrelationContext WithBaggage(string key, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        var members = new List<KeyValuePair<string, string>>(Baggage.Count + 1);
        foreach (KeyValuePair<string, string> member in Baggage)
        {
            if (!string.Equals(member.Key, key, StringComparison.Ordinal))
            {
                members.Add(member);
            }
        }

        members.Add(new(key, value));
        return new CorrelationContext(CorrelationId, members, RemoteParent, TraceState);
    }

    /// <summary>Makes <paramref name="context"/> current for this asynchronous flow until the returned scope is disposed.</summary>
    /// <param name="context">The context.</param>
    /// <returns>A scope; disposing it restores the context that was current before.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    public static IDisposable Begin(CorrelationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scope = new Scope(s_current.Value);
        s_current.Value = context;
        if (context.RemoteParent != default)
        {
            s_remoteParentsInUse = true;
        }

        return scope;
    }

    private sealed class Scope(CorrelationContext? previous) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                s_current.Value = previous;
            }
        }
    }
}
