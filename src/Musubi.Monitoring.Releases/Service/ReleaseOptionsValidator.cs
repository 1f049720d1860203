using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Musubi.Monitoring.Releases;

/// <summary>Checks <see cref="ReleaseOptions"/> at start-up, naming each bad option and its value.</summary>
internal sealed partial class ReleaseOptionsValidator : IValidateOptions<ReleaseOptions>
{
    public ValidateOptionsResult Validate(string? name, ReleaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.IdPrefix is null || !IdPrefixPattern().IsMatch(options.IdPrefix))
        {
            failures.Add($"ReleaseOptions.IdPrefix is '{options.IdPrefix}'; use 1 to 10 ASCII upper-case letters or digits, starting with a letter.");
        }

        if (options.ConflictRetries is < 0 or > 100)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"ReleaseOptions.ConflictRetries is {options.ConflictRetries}; use 0 to 100."));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[A-Z][A-Z0-9]{0,9}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPrefixPattern();
}
