using Microsoft.Extensions.Options;

namespace Musubi.Monitoring.Quality;

/// <summary>Checks <see cref="QualityHistoryOptions"/> at start-up, naming each bad option and its value.</summary>
/// <remarks>Hand-written rather than data annotations: a <c>[Range]</c> message does not say which value was given.</remarks>
internal sealed class QualityHistoryOptionsValidator : IValidateOptions<QualityHistoryOptions>
{
    public ValidateOptionsResult Validate(string? name, QualityHistoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> problems = options.Problems();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
