using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.FeatureManagement;
using Musubi.Monitoring.FeatureManagement;
using Musubi.Monitoring.Releases;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Lets Microsoft.FeatureManagement's <see cref="IFeatureManager"/> and <see cref="IVariantFeatureManager"/> read Musubi feature flags.</summary>
public static class MusubiFeatureManagementBuilderExtensions
{
    /// <summary>
    /// Makes every flag of Musubi's <see cref="FeatureFlags"/> a FeatureManagement feature, evaluated by
    /// <see cref="FeatureFlags.IsEnabled"/> with Unleash's rules.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The feature definitions come only from <see cref="FeatureFlags.Snapshot"/>: this replaces the registered
    /// <see cref="IFeatureDefinitionProvider"/> (by default the one reading the <c>FeatureManagement</c> configuration
    /// section), so features in configuration are no longer seen. Each definition has one filter, <c>Musubi</c>. Nothing
    /// is cached, so flags loaded with <see cref="FeatureFlags.Update"/> apply from the next <c>IsEnabledAsync</c>
    /// (<see cref="IFeatureManagerSnapshot"/> still keeps its per-scope results, by its design). Flag names are
    /// case-sensitive, as in Unleash; an unknown name is a missing feature, which FeatureManagement reports as
    /// <see langword="false"/> unless <see cref="FeatureManagementOptions.IgnoreMissingFeatures"/> is off.
    /// </para>
    /// <para>
    /// The context: <c>IsEnabledAsync(name, context)</c> accepts an <c>ITargetingContext</c> (its <c>UserId</c> becomes
    /// <c>userId</c>, its <c>Groups</c> the property <c>groups</c>, joined with commas) or a
    /// <see cref="FeatureFlagContext"/> (used as is); a context passed there is never mixed with the ambient one. Without
    /// a context, or with one of another type, the registered <c>ITargetingContextAccessor</c> supplies it (see
    /// <c>WithTargeting&lt;T&gt;()</c>), as for FeatureManagement's own targeting; without an accessor, or when it
    /// returns <see langword="null"/>, the flag sees an empty context.
    /// </para>
    /// <para>
    /// Variants are not mapped: FeatureManagement assigns variants with its own allocation and hashing, which cannot
    /// reproduce Unleash's, so <c>GetVariantAsync</c> returns <see langword="null"/> for these features. Read variants
    /// with <see cref="FeatureFlags.GetVariant"/>.
    /// </para>
    /// <para>
    /// <see cref="FeatureFlags"/> must be registered (<c>AddMusubiMonitoring().AddFeatureFlags(...)</c>). Calling this
    /// again registers nothing more.
    /// </para>
    /// </remarks>
    /// <param name="builder">The builder from <c>AddFeatureManagement()</c> or <c>AddScopedFeatureManagement()</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">Thrown when the feature manager is resolved if no <see cref="FeatureFlags"/> is registered.</exception>
    public static IFeatureManagementBuilder AddMusubiFlags(this IFeatureManagementBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        services.TryAddSingleton(MusubiFlagsSource.Create);
        services.RemoveAll<IFeatureDefinitionProvider>();
        services.AddSingleton<IFeatureDefinitionProvider, MusubiFeatureDefinitionProvider>();

        // Each AddFeatureFilter<T>() registers its type once, however often it is called.
        builder.AddFeatureFilter<MusubiFeatureFilter>();
        builder.AddFeatureFilter<MusubiTargetingFeatureFilter>();
        builder.AddFeatureFilter<MusubiContextFeatureFilter>();
        return builder;
    }
}
