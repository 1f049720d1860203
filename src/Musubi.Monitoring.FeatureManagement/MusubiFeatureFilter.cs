using System.Diagnostics.CodeAnalysis;
using Microsoft.FeatureManagement;
using Microsoft.FeatureManagement.FeatureFilters;
using Musubi.Monitoring.Releases;

namespace Musubi.Monitoring.FeatureManagement;

/// <summary>
/// The <c>Musubi</c> filter without an application context: evaluates the flag with <see cref="FeatureFlags.IsEnabled"/>
/// for the ambient <see cref="ITargetingContextAccessor"/>'s context, or an empty context when there is no accessor or it
/// returns <see langword="null"/>.
/// </summary>
/// <remarks>
/// FeatureManagement allows one filter interface per class, so the three ways of calling the filter are three classes
/// sharing the alias: this one, <see cref="MusubiTargetingFeatureFilter"/> and <see cref="MusubiContextFeatureFilter"/>.
/// With an app context FeatureManager picks the contextual class and does not fall back to this one, so a passed context
/// is never mixed with the ambient one. Thread-safe.
/// </remarks>
[FilterAlias(Alias)]
[SuppressMessage("Performance", "CA1812", Justification = "Activated by DI through IFeatureManagementBuilder.AddFeatureFilter.")]
internal sealed class MusubiFeatureFilter : IFeatureFilter
{
    /// <summary>The filter name in every Musubi feature definition.</summary>
    public const string Alias = "Musubi";

    /// <summary>The <see cref="FeatureFlagContext.Properties"/> key that carries <see cref="ITargetingContext.Groups"/>, comma-joined.</summary>
    public const string GroupsProperty = "groups";

    private readonly FeatureFlags _flags;
    private readonly ITargetingContextAccessor? _accessor;

    public MusubiFeatureFilter(MusubiFlagsSource source, ITargetingContextAccessor? accessor = null)
    {
        _flags = source.Flags;
        _accessor = accessor;
    }

    public async Task<bool> EvaluateAsync(FeatureFilterEvaluationContext context)
    {
        TargetingContext? targeting = _accessor is null ? null : await _accessor.GetContextAsync().ConfigureAwait(false);
        return _flags.IsEnabled(context.FeatureName, ToFlagContext(targeting));
    }

    /// <summary>
    /// Maps a targeting context onto Unleash's fields: <c>UserId</c> to <c>userId</c>, and <c>Groups</c> to the custom
    /// property <c>groups</c> joined with commas. Unleash properties are single strings and Unleash has no groups, so a
    /// constraint matches a group with <c>REGEX</c> <c>(^|,)beta(,|$)</c> (exactly <c>beta</c>) or <c>STR_CONTAINS</c>
    /// <c>beta</c> (also <c>beta-2</c>). Null and empty groups are skipped.
    /// </summary>
    internal static FeatureFlagContext? ToFlagContext(ITargetingContext? targeting)
    {
        if (targeting is null)
        {
            return null;
        }

        var context = new FeatureFlagContext { UserId = targeting.UserId };
        if (targeting.Groups is { } groups)
        {
            string joined = string.Join(',', groups.Where(g => !string.IsNullOrEmpty(g)));
            if (joined.Length > 0)
            {
                context.Properties[GroupsProperty] = joined;
            }
        }

        return context;
    }
}

/// <summary>The <c>Musubi</c> filter for <c>IsEnabledAsync(name, targetingContext)</c>: maps the context as <see cref="MusubiFeatureFilter.ToFlagContext"/> does.</summary>
/// <remarks>Thread-safe.</remarks>
[FilterAlias(MusubiFeatureFilter.Alias)]
[SuppressMessage("Performance", "CA1812", Justification = "Activated by DI through IFeatureManagementBuilder.AddFeatureFilter.")]
internal sealed class MusubiTargetingFeatureFilter : IContextualFeatureFilter<ITargetingContext>
{
    private readonly FeatureFlags _flags;

    public MusubiTargetingFeatureFilter(MusubiFlagsSource source) => _flags = source.Flags;

    public Task<bool> EvaluateAsync(FeatureFilterEvaluationContext featureFilterContext, ITargetingContext appContext) =>
        Task.FromResult(_flags.IsEnabled(featureFilterContext.FeatureName, MusubiFeatureFilter.ToFlagContext(appContext)));
}

/// <summary>The <c>Musubi</c> filter for <c>IsEnabledAsync(name, featureFlagContext)</c>: Musubi's own context, every Unleash field, as is.</summary>
/// <remarks>Thread-safe; the context must not change during the call (see <see cref="FeatureFlagContext"/>).</remarks>
[FilterAlias(MusubiFeatureFilter.Alias)]
[SuppressMessage("Performance", "CA1812", Justification = "Activated by DI through IFeatureManagementBuilder.AddFeatureFilter.")]
internal sealed class MusubiContextFeatureFilter : IContextualFeatureFilter<FeatureFlagContext>
{
    private readonly FeatureFlags _flags;

    public MusubiContextFeatureFilter(MusubiFlagsSource source) => _flags = source.Flags;

    public Task<bool> EvaluateAsync(FeatureFilterEvaluationContext featureFilterContext, FeatureFlagContext appContext) =>
        Task.FromResult(_flags.IsEnabled(featureFilterContext.FeatureName, appContext));
}
