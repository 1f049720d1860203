using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json.Serialization;

namespace Musubi.Monitoring.Releases;

/// <summary>
/// A Semantic Versioning 2.0.0 version (<see href="https://semver.org/spec/v2.0.0.html"/>): <c>MAJOR.MINOR.PATCH</c>,
/// an optional pre-release (<c>-rc.1</c>) and optional build metadata (<c>+build.5</c>).
/// </summary>
/// <remarks>
/// <para>Thread-safe (immutable). Parsing is strict, as the specification's grammar: no leading <c>v</c>, no white space,
/// no leading zeros in numeric parts or numeric pre-release identifiers, no empty identifiers, identifiers of ASCII
/// letters, digits and hyphens only. Major, minor and patch must fit in an <see cref="int"/>.</para>
/// <para>Ordering (<see cref="CompareTo(SemanticVersion)"/> and the operators) is the specification's precedence
/// (section 11): build metadata is ignored, so <c>1.0.0+a</c> and <c>1.0.0+b</c> compare as equal in precedence while
/// <see cref="Equals(SemanticVersion)"/> (exact identity, build metadata included) tells them apart.</para>
/// <para>The default value is <c>0.0.0</c>. System.Text.Json reads and writes it as its text (<c>"1.4.0-rc.1"</c>).</para>
/// </remarks>
[JsonConverter(typeof(SemanticVersionJsonConverter))]
public readonly struct SemanticVersion : IEquatable<SemanticVersion>, IComparable<SemanticVersion>, IComparable
{
    private readonly string? _preRelease;
    private readonly string? _build;

    /// <summary>Initializes a new instance of the <see cref="SemanticVersion"/> struct.</summary>
    /// <param name="major">The major version; 0 or more.</param>
    /// <param name="minor">The minor version; 0 or more.</param>
    /// <param name="patch">The patch version; 0 or more.</param>
    /// <param name="preRelease">The pre-release identifiers joined by dots (<c>rc.1</c>), without the leading hyphen; null or empty for none.</param>
    /// <param name="build">The build metadata identifiers joined by dots, without the leading plus; null or empty for none.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="major"/>, <paramref name="minor"/> or <paramref name="patch"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="preRelease"/> or <paramref name="build"/> is not valid (the message names it and the rule).</exception>
    public SemanticVersion(int major, int minor, int patch, string? preRelease = null, string? build = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(major);
        ArgumentOutOfRangeException.ThrowIfNegative(minor);
        ArgumentOutOfRangeException.ThrowIfNegative(patch);
        if (!string.IsNullOrEmpty(preRelease) && CheckIdentifiers(preRelease, numericRule: true) is { } preError)
        {
            throw new ArgumentException($"The pre-release '{preRelease}' is not valid: {preError}.", nameof(preRelease));
        }

        if (!string.IsNullOrEmpty(build) && CheckIdentifiers(build, numericRule: false) is { } buildError)
        {
            throw new ArgumentException($"The build metadata '{build}' is not valid: {buildError}.", nameof(build));
        }

        Major = major;
        Minor = minor;
        Patch = patch;
        _preRelease = string.IsNullOrEmpty(preRelease) ? null : preRelease;
        _build = string.IsNullOrEmpty(build) ? null : build;
    }

    /// <summary>Gets the major version.</summary>
    public int Major { get; }

    /// <summary>Gets the minor version.</summary>
    public int Minor { get; }

    /// <summary>Gets the patch version.</summary>
    public int Patch { get; }

    /// <summary>Gets the pre-release identifiers joined by dots (<c>rc.1</c>), or an empty string.</summary>
    public string PreRelease => _preRelease ?? string.Empty;

    /// <summary>Gets the build metadata joined by dots (<c>build.5</c>), or an empty string.</summary>
    public string Build => _build ?? string.Empty;

    /// <summary>Gets whether the version has a pre-release part.</summary>
    public bool IsPreRelease => _preRelease is not null;

    /// <summary>Parses a version.</summary>
    /// <param name="text">The text, such as <c>1.4.0-rc.1+build.7</c>.</param>
    /// <returns>The version.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException"><paramref name="text"/> is not a SemVer 2.0.0 version; the message quotes it and says what is wrong.</exception>
    public static SemanticVersion Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out SemanticVersion version, out string? error)
            ? version
            : throw new FormatException($"'{text}' is not a Semantic Versioning 2.0.0 version (MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]): {error}.");
    }

    /// <summary>Tries to parse a version.</summary>
    /// <param name="text">The text.</param>
    /// <param name="version">The version, when it parses.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a SemVer 2.0.0 version.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out SemanticVersion version) => TryParse(text, out version, out _);

    /// <summary>Compares two versions by precedence (build metadata ignored).</summary>
    /// <param name="left">The left version.</param>
    /// <param name="right">The right version.</param>
    /// <returns>True when the left precedes the right.</returns>
    public static bool operator <(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) < 0;

    /// <summary>Compares two versions by precedence (build metadata ignored).</summary>
    /// <param name="left">The left version.</param>
    /// <param name="right">The right version.</param>
    /// <returns>True when the left precedes or has the same precedence as the right.</returns>
    public static bool operator <=(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) <= 0;

    /// <summary>Compares two versions by precedence (build metadata ignored).</summary>
    /// <param name="left">The left version.</param>
    /// <param name="right">The right version.</param>
    /// <returns>True when the left follows the right.</returns>
    public static bool operator >(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) > 0;

    /// <summary>Compares two versions by precedence (build metadata ignored).</summary>
    /// <param name="left">The left version.</param>
    /// <param name="right">The right version.</param>
    /// <returns>True when the left follows or has the same precedence as the right.</returns>
    public static bool operator >=(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) >= 0;

    /// <summary>Compares two versions exactly (build metadata included).</summary>
    /// <param name="left">The left version.</param>
    /// <param name="right">The right version.</param>
    /// <returns>True when they are identical.</returns>
    public static bool operator ==(SemanticVersion left, SemanticVersion right) => left.Equals(right);

    /// <summary>Compares two versions exactly (build metadata included).</summary>
    /// <param name="left">The left version.</param>
    /// <param name="right">The right version.</param>
    /// <returns>True when they differ.</returns>
    public static bool operator !=(SemanticVersion left, SemanticVersion right) => !left.Equals(right);

    /// <summary>Compares by precedence, per section 11 of the specification: numbers numerically, a pre-release before
    /// the release, identifiers one by one (numeric ones numerically and before alphanumeric ones, alphanumeric ones by
    /// ASCII order), a shorter set of identifiers first when all before are equal; build metadata ignored.</summary>
    /// <param name="other">The other version.</param>
    /// <returns>Negative, zero or positive as this version precedes, equals in precedence, or follows <paramref name="other"/>.</returns>
    public int CompareTo(SemanticVersion other)
    {
        int c = Major.CompareTo(other.Major);
        if (c == 0)
        {
            c = Minor.CompareTo(other.Minor);
        }

        if (c == 0)
        {
            c = Patch.CompareTo(other.Patch);
        }

        if (c != 0)
        {
            return c;
        }

        if (_preRelease is null || other._preRelease is null)
        {
            return (_preRelease is null ? 1 : 0) - (other._preRelease is null ? 1 : 0);
        }

        string[] mine = _preRelease.Split('.');
        string[] theirs = other._preRelease.Split('.');
        for (int i = 0; i < Math.Min(mine.Length, theirs.Length); i++)
        {
            c = CompareIdentifier(mine[i], theirs[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return mine.Length.CompareTo(theirs.Length);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><paramref name="obj"/> is not a <see cref="SemanticVersion"/>.</exception>
    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        SemanticVersion other => CompareTo(other),
        _ => throw new ArgumentException($"Cannot compare a SemanticVersion with a {obj.GetType().Name}.", nameof(obj)),
    };

    /// <summary>Returns whether the versions are identical, build metadata included (see <see cref="CompareTo(SemanticVersion)"/> for precedence).</summary>
    /// <param name="other">The other version.</param>
    /// <returns><see langword="true"/> when every part is the same.</returns>
    public bool Equals(SemanticVersion other) =>
        Major == other.Major && Minor == other.Minor && Patch == other.Patch
        && string.Equals(_preRelease, other._preRelease, StringComparison.Ordinal)
        && string.Equals(_build, other._build, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SemanticVersion other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Major, Minor, Patch, _preRelease, _build);

    /// <summary>Returns the version as SemVer text, such as <c>1.4.0-rc.1+build.7</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}")
        + (_preRelease is null ? string.Empty : "-" + _preRelease)
        + (_build is null ? string.Empty : "+" + _build);

    private static int CompareIdentifier(string a, string b)
    {
        bool aNumeric = IsDigits(a);
        bool bNumeric = IsDigits(b);
        if (aNumeric && bNumeric)
        {
            // No leading zeros, so a longer number is larger; same length compares digit by digit (any size).
            int byLength = a.Length.CompareTo(b.Length);
            return byLength != 0 ? byLength : Math.Sign(string.CompareOrdinal(a, b));
        }

        if (aNumeric != bNumeric)
        {
            return aNumeric ? -1 : 1;
        }

        return Math.Sign(string.CompareOrdinal(a, b));
    }

    private static bool TryParse(string? text, out SemanticVersion version, out string? error)
    {
        version = default;
        if (string.IsNullOrEmpty(text))
        {
            error = "it is empty";
            return false;
        }

        string rest = text;
        string? build = null;
        int plus = rest.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            build = rest[(plus + 1)..];
            rest = rest[..plus];
            if ((error = CheckIdentifiers(build, numericRule: false)) is not null)
            {
                error = "build metadata: " + error;
                return false;
            }
        }

        string? preRelease = null;
        int hyphen = rest.IndexOf('-', StringComparison.Ordinal);
        if (hyphen >= 0)
        {
            preRelease = rest[(hyphen + 1)..];
            rest = rest[..hyphen];
            if ((error = CheckIdentifiers(preRelease, numericRule: true)) is not null)
            {
                error = "pre-release: " + error;
                return false;
            }
        }

        string[] parts = rest.Split('.');
        if (parts.Length != 3)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"the version core '{rest}' has {parts.Length} part(s); it needs exactly three numbers, MAJOR.MINOR.PATCH");
            return false;
        }

        string[] names = ["major", "minor", "patch"];
        int[] numbers = new int[3];
        for (int i = 0; i < 3; i++)
        {
            string part = parts[i];
            if (part.Length == 0 || !IsDigits(part))
            {
                error = $"the {names[i]} version '{part}' is not a number (ASCII digits only)";
                return false;
            }

            if (part.Length > 1 && part[0] == '0')
            {
                error = $"the {names[i]} version '{part}' has a leading zero";
                return false;
            }

            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                error = $"the {names[i]} version '{part}' is larger than {int.MaxValue.ToString(CultureInfo.InvariantCulture)}";
                return false;
            }
        }

        version = new SemanticVersion(numbers[0], numbers[1], numbers[2], preRelease, build);
        error = null;
        return true;
    }

    /// <summary>Checks dot-separated identifiers; returns what is wrong, or null.</summary>
    private static string? CheckIdentifiers(string identifiers, bool numericRule)
    {
        foreach (string id in identifiers.Split('.'))
        {
            if (id.Length == 0)
            {
                return $"'{identifiers}' has an empty identifier";
            }

            foreach (char c in id)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c != '-')
                {
                    return $"the identifier '{id}' holds '{c}'; only ASCII letters, digits and hyphens are allowed";
                }
            }

            if (numericRule && id.Length > 1 && id[0] == '0' && IsDigits(id))
            {
                return $"the numeric identifier '{id}' has a leading zero";
            }
        }

        return null;
    }

    private static bool IsDigits(string s)
    {
        foreach (char c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return s.Length > 0;
    }
}
