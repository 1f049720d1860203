using Microsoft.Extensions.Options;

namespace Musubi.Monitoring.Logging;

/// <summary>Checks of <see cref="ConsoleLoggingOptions"/>: the format is a defined value.</summary>
internal sealed class ConsoleLoggingOptionsValidator : IValidateOptions<ConsoleLoggingOptions>
{
    public ValidateOptionsResult Validate(string? name, ConsoleLoggingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Enum.IsDefined(options.Format)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"ConsoleLoggingOptions.Format is {(int)options.Format}; it must be Json or Text.");
    }
}
