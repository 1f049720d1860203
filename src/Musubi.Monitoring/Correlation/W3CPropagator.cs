using System.Collections.ObjectModel;
using System.Diagnostics;

namespace Musubi.Monitoring.Correlation;

/// <summary>
/// A <see cref="DistributedContextPropagator"/> that reads and writes <c>traceparent</c>, <c>tracestate</c> and
/// <c>baggage</c> exactly as the W3C Trace Context and W3C Baggage specifications say, through
/// <see cref="W3CTraceContext"/> and <see cref="W3CBaggage"/>.
/// </summary>
/// <remarks>
/// <para>
/// Use it in place of the runtime's propagator: register it in DI
/// (<c>services.AddSingleton&lt;DistributedContextPropagator, W3CPropagator&gt;()</c>, which ASP.NET Core hosting uses)
/// or set <see cref="DistributedContextPropagator.Current"/> (which <see cref="System.Net.Http.HttpClient"/> uses).
/// </para>
/// <para>
/// Extraction hands back a version-00 <c>traceparent</c> even when a higher version arrived, so
/// <see cref="ActivityContext.TryParse(string, string, out ActivityContext)"/> and
/// <see cref="ActivitySource.CreateActivity(string, ActivityKind, string, IEnumerable{KeyValuePair{string, object}}, IEnumerable{ActivityLink}, ActivityIdFormat)"/>
/// can consume it. Only activities in the W3C id format get trace headers; baggage is written for any activity.
/// </para>
/// <para>
/// The propagator holds no state and is safe to share between threads. Its own code does not throw; an exception
/// thrown by the caller's getter or setter callback reaches the caller.
/// </para>
/// </remarks>
public sealed class W3CPropagator : DistributedContextPropagator
{
    private static readonly ReadOnlyCollection<string> s_fields =
        Array.AsReadOnly([W3CTraceContext.TraceParentHeader, W3CTraceContext.TraceStateHeader, W3CBaggage.HeaderName]);

    /// <summary>Gets the headers this propagator reads and writes: <c>traceparent</c>, <c>tracestate</c> and <c>baggage</c>.</summary>
    public override IReadOnlyCollection<string> Fields => s_fields;

    /// <summary>
    /// Writes <c>traceparent</c> from <paramref name="activity"/>'s context, <c>tracestate</c> when it has a valid one
    /// (truncated to 512 characters by <see cref="W3CTraceContext.TruncateTraceState(string, int)"/>; an invalid one is
    /// not sent), and <c>baggage</c>
    /// when it has baggage that can be sent.
    /// </summary>
    /// <param name="activity">The activity whose span becomes the remote parent; <see langword="null"/> writes nothing.</param>
    /// <param name="carrier">The carrier, handed to <paramref name="setter"/>.</param>
    /// <param name="setter">Sets one header on the carrier; <see langword="null"/> writes nothing.</param>
    public override void Inject(Activity? activity, object? carrier, PropagatorSetterCallback? setter)
    {
        if (activity is null || setter is null)
        {
            return;
        }

        if (activity.IdFormat == ActivityIdFormat.W3C
            && W3CTraceContext.TryFormatTraceParent(activity.Context) is { } traceParent)
        {
            setter(carrier, W3CTraceContext.TraceParentHeader, traceParent);
            if (W3CTraceContext.ForSending(activity.TraceStateString) is { } traceState)
            {
                setter(carrier, W3CTraceContext.TraceStateHeader, traceState);
            }
        }

        if (W3CBaggage.FormatCore(activity.Baggage) is { } baggage)
        {
            setter(carrier, W3CBaggage.HeaderName, baggage);
        }
    }

    /// <summary>
    /// Reads <c>traceparent</c> and, when it is valid, <c>tracestate</c>. An invalid <c>traceparent</c>, or more than
    /// one, yields neither; an invalid <c>tracestate</c> is dropped alone.
    /// </summary>
    /// <param name="carrier">The carrier, handed to <paramref name="getter"/>.</param>
    /// <param name="getter">Reads one header from the carrier; <see langword="null"/> reads nothing.</param>
    /// <param name="traceId">The <c>traceparent</c> in version-00 form (<c>00-&lt;trace-id&gt;-&lt;parent-id&gt;-&lt;flags&gt;</c>, flags <c>00</c> or <c>01</c>), or <see langword="null"/>.</param>
    /// <param name="traceState">The normalized <c>tracestate</c> (see <see cref="W3CTraceContext.ParseTraceState(IEnumerable{string})"/>), or <see langword="null"/>.</param>
    public override void ExtractTraceIdAndState(
        object? carrier, PropagatorGetterCallback? getter, out string? traceId, out string? traceState)
    {
        traceId = null;
        traceState = null;
        if (getter is null)
        {
            return;
        }

        getter(carrier, W3CTraceContext.TraceParentHeader, out string? value, out IEnumerable<string>? values);
        if (SingleValue(value, values) is not { } traceParent
            || !W3CTraceContext.TryParseTraceParent(traceParent, out ActivityContext context))
        {
            return;
        }

        // The common case, a version-00 header with flags 00 or 01 and no whitespace, is already in normal form.
        traceId = traceParent.Length == 55 && traceParent.StartsWith("00-", StringComparison.Ordinal)
            && traceParent[53] == '0' && traceParent[54] is '0' or '1'
            ? traceParent
            : W3CTraceContext.FormatTraceParent(context);

        getter(carrier, W3CTraceContext.TraceStateHeader, out value, out values);
        traceState = W3CTraceContext.ParseTraceState(values ?? (value is null ? null : [value]));
    }

    /// <summary>Reads <c>baggage</c> with <see cref="W3CBaggage.Parse(IEnumerable{string})"/>.</summary>
    /// <param name="carrier">The carrier, handed to <paramref name="getter"/>.</param>
    /// <param name="getter">Reads one header from the carrier; <see langword="null"/> reads nothing.</param>
    /// <returns>The members in the order received, or <see langword="null"/> when there are none.</returns>
    public override IEnumerable<KeyValuePair<string, string?>>? ExtractBaggage(object? carrier, PropagatorGetterCallback? getter)
    {
        if (getter is null)
        {
            return null;
        }

        getter(carrier, W3CBaggage.HeaderName, out string? value, out IEnumerable<string>? values);
        IReadOnlyList<KeyValuePair<string, string>> members = W3CBaggage.Parse(values ?? (value is null ? null : [value]));
        if (members.Count == 0)
        {
            return null;
        }

        var result = new KeyValuePair<string, string?>[members.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = new(members[i].Key, members[i].Value);
        }

        return result;
    }

    // The one header value, or null when there is none or more than one.
    private static string? SingleValue(string? value, IEnumerable<string>? values)
    {
        if (values is null)
        {
            return value;
        }

        string? single = null;
        foreach (string item in values)
        {
            if (single is not null)
            {
                return null;
            }

            single = item;
        }

        return single;
    }
}
