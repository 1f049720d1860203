using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;

namespace Musubi.Monitoring.Tracing;

/// <summary>
/// Decides whether a new span is recorded and exported. Use the built-in samplers (<see cref="AlwaysOn"/>,
/// <see cref="AlwaysOff"/>, <see cref="TraceIdRatio"/>, <see cref="ParentBased"/>) or derive your own.
/// </summary>
/// <remarks>
/// Samplers are called on the thread that starts a span, concurrently; an implementation must be thread-safe,
/// fast, and must not throw (a throwing sampler is treated as "do not record" and reported).
/// A span that is not recorded still exists and carries its trace context to children and outgoing calls
/// (with the sampled flag off), so a trace is either recorded everywhere or nowhere.
/// </remarks>
public abstract class Sampler
{
    /// <summary>Gets a sampler that records every span.</summary>
    public static Sampler AlwaysOn { get; } = new ConstantSampler(true);

    /// <summary>Gets a sampler that records no span.</summary>
    public static Sampler AlwaysOff { get; } = new ConstantSampler(false);

    /// <summary>Gets a short description, such as <c>TraceIdRatio{0.25}</c>.</summary>
    public abstract string Description { get; }

    /// <summary>Returns whether the span described by <paramref name="parameters"/> is recorded.</summary>
    /// <param name="parameters">The new span's parent, trace id, name and kind.</param>
    /// <returns><see langword="true"/> to record the span.</returns>
    public abstract bool ShouldSample(in SamplingParameters parameters);

    /// <summary>
    /// Returns a sampler that records the given fraction of traces, decided by the trace id alone (the 56
    /// right-most bits, which W3C Trace Context level 2 makes random), so every service with the same ratio makes
    /// the same decision for a trace.
    /// </summary>
    /// <param name="ratio">The fraction of traces to record, from 0 to 1.</param>
    /// <returns>The sampler.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ratio"/> is not a number from 0 to 1.</exception>
    public static Sampler TraceIdRatio(double ratio)
    {
        if (double.IsNaN(ratio) || ratio is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "The sampling ratio must be from 0 to 1.");
        }

        return new TraceIdRatioSampler(ratio);
    }

    /// <summary>
    /// Returns a sampler that follows the parent's sampled flag when there is a parent (local or remote) and asks
    /// <paramref name="root"/> for a span that starts a trace.
    /// </summary>
    /// <param name="root">The sampler for root spans.</param>
    /// <returns>The sampler.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="root"/> is <see langword="null"/>.</exception>
    public static Sampler ParentBased(Sampler root)
    {
        ArgumentNullException.ThrowIfNull(root);
        return new ParentBasedSampler(root);
    }

    /// <inheritdoc/>
    public override string ToString() => Description;

    private sealed class ConstantSampler(bool decision) : Sampler
    {
        public override string Description => decision ? "AlwaysOn" : "AlwaysOff";

        public override bool ShouldSample(in SamplingParameters parameters) => decision;
    }

    private sealed class TraceIdRatioSampler(double ratio) : Sampler
    {
        private const ulong RandomBits = 1UL << 56;
        private readonly ulong _threshold = ratio >= 1 ? RandomBits : (ulong)(ratio * RandomBits);

        public override string Description => string.Create(CultureInfo.InvariantCulture, $"TraceIdRatio{{{ratio}}}");

        public override bool ShouldSample(in SamplingParameters parameters)
        {
            Span<byte> id = stackalloc byte[16];
            parameters.TraceId.CopyTo(id);
            ulong random = BinaryPrimitives.ReadUInt64BigEndian(id[8..]) & (RandomBits - 1);
            return random < _threshold;
        }
    }

    private sealed class ParentBasedSampler(Sampler root) : Sampler
    {
        public override string Description => $"ParentBased{{root={root.Description}}}";

        public override bool ShouldSample(in SamplingParameters parameters) =>
            parameters.Parent.TraceId != default
                ? (parameters.Parent.TraceFlags & ActivityTraceFlags.Recorded) != 0
                : root.ShouldSample(parameters);
    }
}

/// <summary>What a <see cref="Sampler"/> knows about a span that is about to start.</summary>
/// <param name="Parent">The parent's context; <see langword="default"/> for a root span.</param>
/// <param name="TraceId">The trace id the span will have.</param>
/// <param name="Name">The span's name.</param>
/// <param name="Kind">The span's kind.</param>
public readonly record struct SamplingParameters(ActivityContext Parent, ActivityTraceId TraceId, string Name, ActivityKind Kind);
