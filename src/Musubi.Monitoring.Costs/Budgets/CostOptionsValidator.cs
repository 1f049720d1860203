using Microsoft.Extensions.Options;

namespace Musubi.Monitoring.Costs;

/// <summary>Data-annotation checks of <see cref="CostOptions"/>, generated at compile time.</summary>
[OptionsValidator]
internal sealed partial class CostOptionsValidator : IValidateOptions<CostOptions>
{
}
