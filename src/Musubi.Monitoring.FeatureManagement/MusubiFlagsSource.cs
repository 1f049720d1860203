using Musubi.Monitoring.Releases;

namespace Musubi.Monitoring.FeatureManagement;

/// <summary>
/// The <see cref="FeatureFlags"/> the bridge reads, resolved once from the container so that a missing
/// <c>AddFeatureFlags()</c> fails with one clear message instead of a generic activation error.
/// </summary>
internal sealed class MusubiFlagsSource
{
    private MusubiFlagsSource(FeatureFlags flags) => Flags = flags;

    public FeatureFlags Flags { get; }

    public static MusubiFlagsSource Create(IServiceProvider services) =>
        new(services.GetService(typeof(FeatureFlags)) as FeatureFlags ?? throw new InvalidOperationException(
            "AddMusubiFlags() needs Musubi's FeatureFlags in the container, but no FeatureFlags service is registered. " +
            "Call services.AddMusubiMonitoring().AddFeatureFlags(snapshot), or register a FeatureFlags singleton yourself."));
}
