using System.Collections.Frozen;
using System.Globalization;

namespace Musubi.Monitoring.Releases;

internal enum ConstraintOperator : byte
{
    Unknown,
    In,
    NotIn,
    StrContains,
    StrStartsWith,
    StrEndsWith,
    NumEq,
    NumGt,
    NumGte,
    NumLt,
    NumLte,
    DateAfter,
    DateBefore,
    SemverEq,
    SemverGt,
    SemverLt,
    SemverGte,
    SemverLte,
    InCidr,
    Regex,
}

/// <summary>A strategy constraint with its values parsed once: a frozen set, numbers, an instant or a version.</summary>
internal sealed class CompiledConstraint
{
    private readonly ContextField _field;
    private readonly ConstraintOperator _operator;
    private readonly bool _inverted;
    private readonly StringComparison _comparison;
    private readonly FrozenSet<string>? _set;
    private readonly bool _linear;
    private readonly string[] _values;
    private readonly bool _valueValid;
    private readonly double _number;
    private readonly DateTimeOffset _date;
    private readonly ConstraintSemVer _version;
    private readonly IpRange[] _ranges = [];
    private readonly System.Text.RegularExpressions.Regex? _regex;

    /// <summary>Up to this many values, <c>IN</c> compares them one by one, which beats the frozen set's lookup.</summary>
    private const int LinearLimit = 4;

    public CompiledConstraint(string contextName, string op, IReadOnlyList<string> values, string? value, bool inverted, bool caseInsensitive)
    {
        _field = new ContextField(contextName);
        _operator = ParseOperator(op);
        _inverted = inverted;
        _comparison = caseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        _values = [.. values];
        switch (_operator)
        {
            case ConstraintOperator.In or ConstraintOperator.NotIn:
                _set = values.ToFrozenSet(caseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
                _linear = _values.Length <= LinearLimit;
                break;
            case >= ConstraintOperator.NumEq and <= ConstraintOperator.NumLte:
                _valueValid = TryParseNumber(value, out _number);
                break;
            case ConstraintOperator.DateAfter or ConstraintOperator.DateBefore:
                _valueValid = TryParseDate(value, out _date);
                break;
            case >= ConstraintOperator.SemverEq and <= ConstraintOperator.SemverLte:
                _valueValid = ConstraintSemVer.TryParse(value, out _version);
                break;
            case ConstraintOperator.InCidr:
                _ranges = [.. values.Select(v => new IpRange(v.Trim()))];
                break;
            case ConstraintOperator.Regex:
                // An invalid pattern (or one RE2 would refuse) never matches.
                _regex = Re2Pattern.TryCompile(value ?? (values.Count > 0 ? values[0] : null), caseInsensitive);
                _valueValid = _regex is not null;
                break;
        }
    }

    public static ConstraintOperator ParseOperator(string op) => op switch
    {
        "IN" => ConstraintOperator.In,
        "NOT_IN" => ConstraintOperator.NotIn,
        "STR_CONTAINS" => ConstraintOperator.StrContains,
        "STR_STARTS_WITH" => ConstraintOperator.StrStartsWith,
        "STR_ENDS_WITH" => ConstraintOperator.StrEndsWith,
        "NUM_EQ" => ConstraintOperator.NumEq,
        "NUM_GT" => ConstraintOperator.NumGt,
        "NUM_GTE" => ConstraintOperator.NumGte,
        "NUM_LT" => ConstraintOperator.NumLt,
        "NUM_LTE" => ConstraintOperator.NumLte,
        "DATE_AFTER" => ConstraintOperator.DateAfter,
        "DATE_BEFORE" => ConstraintOperator.DateBefore,
        "SEMVER_EQ" => ConstraintOperator.SemverEq,
        "SEMVER_GT" => ConstraintOperator.SemverGt,
        "SEMVER_LT" => ConstraintOperator.SemverLt,
        "SEMVER_GTE" => ConstraintOperator.SemverGte,
        "SEMVER_LTE" => ConstraintOperator.SemverLte,
        "IN_CIDR" => ConstraintOperator.InCidr,
        "REGEX" => ConstraintOperator.Regex,
        _ => ConstraintOperator.Unknown,
    };

    public bool IsSatisfied(FeatureFlagContext context, TimeProvider time)
    {
        if (_operator == ConstraintOperator.In)
        {
            // The commonest operator, answered without the general switch.
            string? value = _field.Resolve(context, time);
            return (value is not null && InValues(value)) != _inverted;
        }

        if (_operator == ConstraintOperator.Unknown || (_operator == ConstraintOperator.Regex && _regex is null))
        {
            // An operator this client does not know, or a pattern that does not compile, never matches, inverted or not
            // (as Unleash's SDKs do).
            return false;
        }

        return Evaluate(context, time) != _inverted;
    }

    private bool Evaluate(FeatureFlagContext context, TimeProvider time)
    {
        switch (_operator)
        {
            case ConstraintOperator.In:
            {
                string? value = _field.Resolve(context, time);
                return value is not null && InValues(value);
            }

            case ConstraintOperator.NotIn:
            {
                string? value = _field.Resolve(context, time);
                return value is null || !InValues(value);
            }

            case ConstraintOperator.StrContains or ConstraintOperator.StrStartsWith or ConstraintOperator.StrEndsWith:
                return MatchString(_field.Resolve(context, time));

            case >= ConstraintOperator.NumEq and <= ConstraintOperator.NumLte:
            {
                if (!_valueValid || !TryParseNumber(_field.Resolve(context, time), out double number))
                {
                    return false;
                }

                return _operator switch
                {
                    ConstraintOperator.NumEq => number == _number,
                    ConstraintOperator.NumGt => number > _number,
                    ConstraintOperator.NumGte => number >= _number,
                    ConstraintOperator.NumLt => number < _number,
                    _ => number <= _number,
                };
            }

            case ConstraintOperator.DateAfter or ConstraintOperator.DateBefore:
            {
                if (!_valueValid)
                {
                    return false;
                }

                DateTimeOffset instant;
                if (_field.Kind == ContextFieldKind.CurrentTime)
                {
                    instant = context.CurrentTime ?? time.GetUtcNow();
                }
                else if (!TryParseDate(_field.Resolve(context, time), out instant))
                {
                    return false;
                }

                return _operator == ConstraintOperator.DateAfter ? instant > _date : instant < _date;
            }

            case ConstraintOperator.Regex:
            {
                string? text = _field.Resolve(context, time);
                return _valueValid && text is not null && _regex!.IsMatch(text);
            }

            case ConstraintOperator.InCidr:
            {
                string? address = _field.Resolve(context, time);
                if (address is null)
                {
                    return false;
                }

                foreach (IpRange range in _ranges)
                {
                    if (range.Matches(address))
                    {
                        return true;
                    }
                }

                return false;
            }

            default:
            {
                if (!_valueValid)
                {
                    return false;
                }

                string? text = _field.Resolve(context, time);
                if (!ConstraintSemVer.TryCompareRelease(text, _version, out int c))
                {
                    if (!ConstraintSemVer.TryParse(text, out ConstraintSemVer version))
                    {
                        return false;
                    }

                    c = version.CompareTo(_version);
                }

                return _operator switch
                {
                    ConstraintOperator.SemverEq => c == 0,
                    ConstraintOperator.SemverGt => c > 0,
                    ConstraintOperator.SemverLt => c < 0,
                    ConstraintOperator.SemverGte => c >= 0,
                    _ => c <= 0,
                };
            }
        }
    }

    private bool InValues(string value)
    {
        if (!_linear)
        {
            return _set!.Contains(value);
        }

        foreach (string candidate in _values)
        {
            if (_comparison == StringComparison.Ordinal ? string.Equals(candidate, value, StringComparison.Ordinal) : string.Equals(candidate, value, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private bool MatchString(string? value)
    {
        if (value is null)
        {
            return false;
        }

        foreach (string candidate in _values)
        {
            bool match = _operator switch
            {
                ConstraintOperator.StrContains => value.Contains(candidate, _comparison),
                ConstraintOperator.StrStartsWith => value.Length >= candidate.Length && value.AsSpan(0, candidate.Length).Equals(candidate, _comparison),
                _ => value.Length >= candidate.Length && value.AsSpan(value.Length - candidate.Length).Equals(candidate, _comparison),
            };
            if (match)
            {
                return true;
            }
        }

        return false;
    }

    internal static bool TryParseNumber(string? text, out double number)
    {
        number = 0;
        if (text is { Length: > 0 and <= 15 } && TryParseSmallInteger(text, out long whole))
        {
            // Fast path for plain integers (exact in a double); everything else goes through double.TryParse.
            number = whole;
            return true;
        }

        return !string.IsNullOrWhiteSpace(text) &&
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);
    }

    private static bool TryParseSmallInteger(string text, out long value)
    {
        value = 0;
        int i = text[0] == '-' ? 1 : 0;
        if (i == text.Length)
        {
            return false;
        }

        for (; i < text.Length; i++)
        {
            char c = text[i];
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        if (text[0] == '-')
        {
            value = -value;
        }

        return true;
    }

    internal static bool TryParseDate(string? text, out DateTimeOffset date)
    {
        date = default;
        return !string.IsNullOrWhiteSpace(text) &&
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date);
    }
}
