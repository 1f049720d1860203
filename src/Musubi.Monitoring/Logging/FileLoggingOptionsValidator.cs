using Microsoft.Extensions.Options;

namespace Musubi.Monitoring.Logging;

/// <summary>Data-annotation checks of <see cref="FileLoggingOptions"/>, generated at compile time.</summary>
[OptionsValidator]
internal sealed partial class FileLoggingOptionsValidator : IValidateOptions<FileLoggingOptions>
{
}
