using Microsoft.Extensions.Options;

namespace Musubi.Monitoring.Incidents;

/// <summary>Data-annotation checks of <see cref="WebhookNotifierOptions"/>, generated at compile time.</summary>
[OptionsValidator]
internal sealed partial class WebhookNotifierOptionsValidator : IValidateOptions<WebhookNotifierOptions>
{
}
