using System.Globalization;
using Microsoft.Extensions.Options;

namespace Musubi.Monitoring.Logging;

/// <summary>
/// The checks of <see cref="FileLoggingOptions"/> that data annotations cannot express, or cannot express with a
/// message that names the bad value: a usable path, positive sizes and counts, defined enum values.
/// </summary>
/// <remarks>
/// The numeric ranges live here rather than in <c>[Range]</c> attributes because the generated message of a range
/// attribute does not say which value was given, and an operator reading a start-up failure needs it.
/// </remarks>
internal sealed class FileLoggingOptionsRules : IValidateOptions<FileLoggingOptions>
{
    public ValidateOptionsResult Validate(string? name, FileLoggingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        // Null, empty and blank paths are [Required]'s to report.
        if (!string.IsNullOrWhiteSpace(options.Path) && PathError(options.Path) is { } pathError)
        {
            failures.Add(pathError);
        }

        if (options.FileSizeLimitBytes is <= 0)
        {
            failures.Add(Invalid(nameof(FileLoggingOptions.FileSizeLimitBytes), options.FileSizeLimitBytes.Value, "a positive number of bytes, or null for no size limit"));
        }

        if (options.RetainedFileCountLimit is <= 0)
        {
            failures.Add(Invalid(nameof(FileLoggingOptions.RetainedFileCountLimit), options.RetainedFileCountLimit.Value, "1 or more, or null to keep every file"));
        }

        if (options.QueueCapacity < 1)
        {
            failures.Add(Invalid(nameof(FileLoggingOptions.QueueCapacity), options.QueueCapacity, "1 or more"));
        }

        if (options.ShutdownTimeout <= TimeSpan.Zero)
        {
            failures.Add(Invalid(nameof(FileLoggingOptions.ShutdownTimeout), options.ShutdownTimeout, "a positive time span"));
        }

        if (!Enum.IsDefined(options.Format))
        {
            failures.Add(Invalid(nameof(FileLoggingOptions.Format), (int)options.Format, "Json or Text"));
        }

        if (!Enum.IsDefined(options.RollInterval))
        {
            failures.Add(Invalid(nameof(FileLoggingOptions.RollInterval), (int)options.RollInterval, "None or Day"));
        }

        if (!Enum.IsDefined(options.FullMode))
        {
            failures.Add(Invalid(nameof(FileLoggingOptions.FullMode), (int)options.FullMode, "Block, DropNewest or DropOldest"));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string? PathError(string path)
    {
        const string Option = "FileLoggingOptions.Path";
        string shown = Escape(path);
        if (path.AsSpan().IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0)
        {
            return $"{Option} '{shown}' contains a character that is not allowed in a path.";
        }

        string fileName = System.IO.Path.GetFileName(path);
        if (fileName.Length == 0 || fileName is "." or "..")
        {
            return $"{Option} '{shown}' names a directory; give a file path such as 'logs/app.log'.";
        }

        if (fileName.AsSpan().IndexOfAny(System.IO.Path.GetInvalidFileNameChars()) >= 0)
        {
            return $"{Option} '{shown}' has a file name with a character that is not allowed in a file name.";
        }

        try
        {
            _ = System.IO.Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException or System.Security.SecurityException)
        {
            return $"{Option} '{shown}' is not a usable path: {e.Message}";
        }

        return null;
    }

    private static string Invalid<T>(string option, T value, string allowed)
        where T : IFormattable
        => $"FileLoggingOptions.{option} is {value.ToString(null, CultureInfo.InvariantCulture)}; it must be {allowed}.";

    /// <summary>Shows control characters (a NUL in a path) as <c>\uXXXX</c>, so the message itself stays readable.</summary>
    private static string Escape(string value)
    {
        if (!value.Any(char.IsControl))
        {
            return value;
        }

        var builder = new System.Text.StringBuilder(value.Length + 8);
        foreach (char c in value)
        {
            if (char.IsControl(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
