using System.Runtime.CompilerServices;

namespace Musubi.Monitoring.Metrics;

/// <summary>Room for up to eight tags on the stack, so recording with a few labels does not allocate.</summary>
[InlineArray(Length)]
internal struct TagBuffer
{
    public const int Length = 8;

    private KeyValuePair<string, object?> _element;
}
