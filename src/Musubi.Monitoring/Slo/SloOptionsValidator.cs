using System.Globalization;
using Microsoft.Extensions.Options;

namespace Musubi.Monitoring.Slo;

/// <summary>Checks <see cref="SloOptions"/> at start-up, naming each bad option and its value.</summary>
internal sealed class SloOptionsValidator : IValidateOptions<SloOptions>
{
    public ValidateOptionsResult Validate(string? name, SloOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.EvaluationInterval < SloOptions.MinEvaluationInterval || options.EvaluationInterval > SloOptions.MaxEvaluationInterval)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"SloOptions.EvaluationInterval is {options.EvaluationInterval}; use 1 second to 1 minute."));
        }

        if (options.ObserverTimeout < TimeSpan.FromMilliseconds(1) || options.ObserverTimeout > SloOptions.MaxObserverTimeout)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"SloOptions.ObserverTimeout is {options.ObserverTimeout}; use 1 millisecond to 5 minutes."));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
