using Microsoft.FeatureManagement;
using Musubi.Monitoring.Releases;

namespace Musubi.Monitoring.FeatureManagement;

/// <summary>
/// Exposes every flag of the current <see cref="FeatureFlags.Snapshot"/> as a <see cref="FeatureDefinition"/> whose only
/// filter is <see cref="MusubiFeatureFilter.Alias"/>, so the flag's Unleash strategies decide, not FeatureManagement's.
/// </summary>
/// <remarks>
/// Nothing is cached: each call reads <see cref="FeatureFlags.Snapshot"/>, so a <see cref="FeatureFlags.Update"/> is seen by
/// the next <c>IsEnabledAsync</c>. (FeatureManagement 4.x asks the provider on every evaluation and caches only filter
/// settings bound from <c>IConfiguration</c>, which these definitions do not have.) Thread-safe.
/// </remarks>
internal sealed class MusubiFeatureDefinitionProvider : IFeatureDefinitionProvider
{
    private readonly FeatureFlags _flags;

    // One filter configuration shared by every definition: FeatureManager only reads it.
    private readonly FeatureFilterConfiguration[] _enabledFor = [new FeatureFilterConfiguration { Name = MusubiFeatureFilter.Alias }];

    public MusubiFeatureDefinitionProvider(MusubiFlagsSource source) => _flags = source.Flags;

    public Task<FeatureDefinition> GetFeatureDefinitionAsync(string featureName)
    {
        // A missing definition is null: FeatureManager then applies FeatureManagementOptions.IgnoreMissingFeatures
        // (on by default, and the feature is off; when the option is off it throws FeatureManagementError.MissingFeature).
        FeatureDefinition? definition = featureName is not null && _flags.Snapshot.Contains(featureName) ? Define(featureName) : null;
        return Task.FromResult(definition!);
    }

    // One snapshot for the whole enumeration, so an Update during it cannot mix two flag sets.
    public IAsyncEnumerable<FeatureDefinition> GetAllFeatureDefinitionsAsync() =>
        _flags.Snapshot.FlagNames.Select(Define).ToAsyncEnumerable();

    private FeatureDefinition Define(string name) => new()
    {
        Name = name,
        EnabledFor = _enabledFor,
        RequirementType = RequirementType.Any,
        // Conditional: the filter decides. A flag switched off in Unleash evaluates to false there, with its reason.
        Status = FeatureStatus.Conditional,
        // FeatureManagement's own evaluation events stay off; Musubi flags are evaluated (and observed) by FeatureFlags.
        Telemetry = null,
    };
}
