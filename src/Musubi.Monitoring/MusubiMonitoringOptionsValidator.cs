using Microsoft.Extensions.Options;

namespace Musubi.Monitoring;

/// <summary>Data-annotation checks of <see cref="MusubiMonitoringOptions"/>, generated at compile time.</summary>
[OptionsValidator]
internal sealed partial class MusubiMonitoringOptionsValidator : IValidateOptions<MusubiMonitoringOptions>
{
}
