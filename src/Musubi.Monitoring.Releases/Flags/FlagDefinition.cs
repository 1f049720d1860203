using System.Collections.Frozen;
using System.Globalization;

namespace Musubi.Monitoring.Releases;

/// <summary>
/// A feature flag defined in code. Each factory maps onto an Unleash strategy, so a flag from code evaluates exactly
/// as the same flag loaded from Unleash: <see cref="On"/> is an enabled flag without strategies, <see cref="Off"/> a
/// disabled flag, <see cref="Percentage"/> a <c>flexibleRollout</c> with default stickiness and <see cref="Users"/> a
/// <c>userWithId</c> strategy.
/// </summary>
/// <remarks>Definitions are immutable; compile them with <see cref="FlagSnapshot.FromDefinitions"/>.</remarks>
public sealed class FlagDefinition
{
    private readonly Func<CompiledFlag> _compile;

    private FlagDefinition(string name, Func<CompiledFlag> compile)
    {
        Name = name;
        _compile = compile;
    }

    /// <summary>Gets the flag name.</summary>
    public string Name { get; }

    /// <summary>A flag that is on for everyone.</summary>
    /// <param name="name">The flag name.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public static FlagDefinition On(string name)
    {
        CheckName(name);
        return new FlagDefinition(name, () => new CompiledFlag(name, enabled: true, [], null, []));
    }

    /// <summary>A flag that is off for everyone.</summary>
    /// <param name="name">The flag name.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public static FlagDefinition Off(string name)
    {
        CheckName(name);
        return new FlagDefinition(name, () => new CompiledFlag(name, enabled: false, [], null, []));
    }

    /// <summary>
    /// A flag that is on for a stable share of users: Unleash's <c>flexibleRollout</c> with default stickiness (the user id,
    /// else the session id, else a random draw), bucketed by <c>murmur3("groupId:id") % 100 + 1 &lt;= percent</c>.
    /// </summary>
    /// <param name="name">The flag name.</param>
    /// <param name="percent">The share that is on, from 0 to 100.</param>
    /// <param name="groupId">The group id that salts the hash; the default is the flag name. Flags with the same group id and percentage are on for the same users.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percent"/> is below 0 or above 100.</exception>
    public static FlagDefinition Percentage(string name, int percent, string? groupId = null)
    {
        CheckName(name);
        ArgumentOutOfRangeException.ThrowIfNegative(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["rollout"] = percent.ToString(CultureInfo.InvariantCulture),
            ["stickiness"] = "default",
            ["groupId"] = string.IsNullOrEmpty(groupId) ? name : groupId,
        };
        return new FlagDefinition(name, () => Single(name, "flexibleRollout", parameters));
    }

    /// <summary>A flag that is on for the listed user ids only (Unleash's <c>userWithId</c>; ids compare case-sensitively).</summary>
    /// <param name="name">The flag name.</param>
    /// <param name="userIds">The user ids.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty, or a user id is null, empty or contains a comma.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="userIds"/> is <see langword="null"/>.</exception>
    public static FlagDefinition Users(string name, params IEnumerable<string> userIds)
    {
        CheckName(name);
        ArgumentNullException.ThrowIfNull(userIds);
        string[] ids = [.. userIds];
        foreach (string id in ids)
        {
            if (string.IsNullOrWhiteSpace(id) || id.Contains(',', StringComparison.Ordinal) || id.Trim().Length != id.Length)
            {
                throw new ArgumentException($"The user id '{id}' is not allowed: ids must be non-empty, without commas or surrounding spaces.", nameof(userIds));
            }
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal) { ["userIds"] = string.Join(',', ids) };
        return new FlagDefinition(name, () => Single(name, "userWithId", parameters));
    }

    internal CompiledFlag Compile() => _compile();

    private static CompiledFlag Single(string name, string strategy, Dictionary<string, string> parameters)
    {
        CompiledStrategy compiled = StrategyCompiler.Compile(name, strategy, parameters, [], missingSegment: false, variants: null, out string? error);
        return new CompiledFlag(name, enabled: true, [compiled], null, [], error);
    }

    private static void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException($"The flag name '{name}' is not allowed: a non-empty name is required.", nameof(name));
        }
    }
}
