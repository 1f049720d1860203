using System.Globalization;
using Microsoft.Extensions.Options;

namespace Musubi.Monitoring.Health;

/// <summary>The checks of <see cref="DependencyCheckOptions"/>; every message names the check, the option and the value.</summary>
internal sealed class DependencyCheckOptionsValidator : IValidateOptions<DependencyCheckOptions>
{
    public static readonly DependencyCheckOptionsValidator Instance = new();

    /// <param name="name">The name of the check the options belong to.</param>
    /// <param name="options">The options.</param>
    public ValidateOptionsResult Validate(string? name, DependencyCheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string prefix = $"DependencyCheckOptions of check '{name}':";
        var failures = new List<string>();
        if (options.Timeout < DependencyCheckOptions.MinTimeout || options.Timeout > DependencyCheckOptions.MaxTimeout)
        {
            failures.Add($"{prefix} Timeout is {Format(options.Timeout)}; use 00:00:00.001 (1 ms) to 00:05:00 (5 minutes).");
        }

        foreach (string? tag in options.Tags)
        {
            if (string.IsNullOrWhiteSpace(tag))
            {
                failures.Add($"{prefix} Tags contains {(tag is null ? "null" : $"'{tag}'")}; a tag must not be null, empty or white space.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The invariant constant format (<c>00:00:02</c>), the same on every culture.</summary>
    internal static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
