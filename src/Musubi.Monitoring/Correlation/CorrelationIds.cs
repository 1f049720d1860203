using System.Buffers;

namespace Musubi.Monitoring.Correlation;

/// <summary>Validates and generates correlation ids (the <c>x-correlation-id</c> header's value).</summary>
/// <remarks>All members are thread-safe.</remarks>
public static class CorrelationIds
{
    /// <summary>The longest correlation id kept: 128 characters. A longer incoming id is replaced by a new one.</summary>
    public const int MaxLength = 128;

    private static readonly SearchValues<char> s_allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:/+=@");

    /// <summary>
    /// Returns whether <paramref name="value"/> is kept as a correlation id: 1 to <see cref="MaxLength"/> characters,
    /// each an ASCII letter or digit or one of <c>- _ . : / + = @</c>. Anything else (spaces, control characters,
    /// quotes, non-ASCII) is refused, so an id can be echoed into a response header or a log line as it is.
    /// </summary>
    /// <param name="value">The candidate; <see langword="null"/> is not valid.</param>
    /// <returns><see langword="true"/> when the value is kept.</returns>
    public static bool IsValid(ReadOnlySpan<char> value) =>
        value.Length is > 0 and <= MaxLength && !value.ContainsAnyExcept(s_allowed);

    /// <inheritdoc cref="IsValid(ReadOnlySpan{char})"/>
    public static bool IsValid(string? value) => value is not null && IsValid(value.AsSpan());

    /// <summary>Generates a new correlation id: a version-7 (time-ordered) GUID in its 36-character form.</summary>
    /// <param name="timeProvider">The clock whose time orders the id.</param>
    /// <returns>A new id, for example <c>0193a1f2-7c4e-7d3a-9b1e-2f5c8d9e0a1b</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="timeProvider"/> is <see langword="null"/>.</exception>
    public static string Generate(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return Guid.CreateVersion7(timeProvider.GetUtcNow()).ToString("D");
    }

    /// <summary>
    /// A printable, bounded rendering of an untrusted value for exception messages and diagnostics: control,
    /// surrogate and format characters (bidirectional overrides among them) become <c>?</c>.
    /// </summary>
    internal static string Describe(string value)
    {
        const int Shown = 64;
        ReadOnlySpan<char> head = value.AsSpan(0, Math.Min(value.Length, Shown));
        return string.Create(head.Length + (value.Length > Shown ? 1 : 0), value, static (destination, v) =>
        {
            for (int i = 0; i < destination.Length; i++)
            {
                char c = i < Shown && i < v.Length ? v[i] : '…';
                destination[i] = i >= Shown ? '…'
                    : char.IsControl(c) || char.IsSurrogate(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format ? '?'
                    : c;
            }
        });
    }
}
