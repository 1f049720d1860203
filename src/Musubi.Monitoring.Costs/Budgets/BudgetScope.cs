namespace Musubi.Monitoring.Costs;

/// <summary>The kinds of <see cref="BudgetScope"/>.</summary>
public enum BudgetScopeKind
{
    /// <summary>Every call.</summary>
    Global = 0,

    /// <summary>Calls whose <see cref="UsageAttribution.User"/> equals the scope's value.</summary>
    User = 1,

    /// <summary>Calls whose <see cref="UsageAttribution.Feature"/> equals the scope's value.</summary>
    Feature = 2,

    /// <summary>Calls whose <see cref="LlmUsage.RequestModel"/> equals the scope's value.</summary>
    Model = 3,
}

/// <summary>Which calls a <see cref="Budget"/> counts: all of them, or one user's, one feature's or one model's.</summary>
/// <remarks>
/// Values are compared ordinally and case-sensitively. A model scope matches <see cref="LlmUsage.RequestModel"/>
/// (the name sent in the request), not the response or base model. Immutable and safe to share between threads.
/// </remarks>
public sealed record BudgetScope
{
    private BudgetScope(BudgetScopeKind kind, string? value)
    {
        Kind = kind;
        Value = value;
    }

    /// <summary>Every call.</summary>
    public static BudgetScope Global { get; } = new(BudgetScopeKind.Global, null);

    /// <summary>The kind of scope.</summary>
    public BudgetScopeKind Kind { get; }

    /// <summary>The user id, feature name or model name; <see langword="null"/> for <see cref="BudgetScopeKind.Global"/>.</summary>
    public string? Value { get; }

    /// <summary>Calls made for user <paramref name="id"/>.</summary>
    /// <param name="id">The user id, as in <see cref="UsageAttribution.User"/>.</param>
    /// <returns>The scope.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty or white space.</exception>
    public static BudgetScope User(string id) => Create(BudgetScopeKind.User, id, nameof(id));

    /// <summary>Calls made by feature <paramref name="name"/>.</summary>
    /// <param name="name">The feature name, as in <see cref="UsageAttribution.Feature"/>.</param>
    /// <returns>The scope.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    public static BudgetScope Feature(string name) => Create(BudgetScopeKind.Feature, name, nameof(name));

    /// <summary>Calls to model <paramref name="name"/>.</summary>
    /// <param name="name">The model name, as in <see cref="LlmUsage.RequestModel"/>.</param>
    /// <returns>The scope.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    public static BudgetScope Model(string name) => Create(BudgetScopeKind.Model, name, nameof(name));

    /// <summary>Whether <paramref name="usage"/> counts towards this scope.</summary>
    /// <param name="usage">The call.</param>
    /// <returns><see langword="true"/> when the call is in scope.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="usage"/> is <see langword="null"/>.</exception>
    public bool Matches(LlmUsage usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        return Kind switch
        {
            BudgetScopeKind.Global => true,
            BudgetScopeKind.User => string.Equals(usage.Attribution?.User, Value, StringComparison.Ordinal),
            BudgetScopeKind.Feature => string.Equals(usage.Attribution?.Feature, Value, StringComparison.Ordinal),
            _ => string.Equals(usage.RequestModel, Value, StringComparison.Ordinal),
        };
    }

    /// <summary>The scope as text: <c>global</c>, <c>user:alice</c>, <c>feature:search</c> or <c>model:gpt-4o</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Kind switch
    {
        BudgetScopeKind.Global => "global",
        BudgetScopeKind.User => "user:" + Value,
        BudgetScopeKind.Feature => "feature:" + Value,
        _ => "model:" + Value,
    };

    private static BudgetScope Create(BudgetScopeKind kind, string value, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, paramName);
        return new(kind, value);
    }
}
