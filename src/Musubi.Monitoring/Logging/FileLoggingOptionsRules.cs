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
    /// <summary>
    /// The longest shutdown wait: enough for any disk, and far below what the timers behind
    /// <see cref="Task.WaitAsync(TimeSpan, TimeProvider)"/> accept (about 49 days), which would otherwise throw from Dispose.
    /// </summary>
    internal static readonly TimeSpan MaxShutdownTimeout = TimeSpan.FromHours(1);

    /// <summary>The longest file or directory name the common file systems accept (ext4, NTFS, APFS): 255 bytes or UTF-16 units.</summary>
    private const int MaxNameLength = 255;

    /// <summary>What rolling adds to the file name at most: <c>.yyyyMMdd</c> and <c>_001</c>.</summary>
    private const int DateSuffixLength = 9;

    private const int SequenceSuffixLength = 4;

    public ValidateOptionsResult Validate(string? name, FileLoggingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        // Null, empty and blank paths are [Required]'s to report.
        if (!string.IsNullOrWhiteSpace(options.Path) && PathError(options.Path, options.RollInterval) is { } pathError)
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

        if (options.ShutdownTimeout <= TimeSpan.Zero || options.ShutdownTimeout > MaxShutdownTimeout)
        {
            // "c": the invariant constant format (60.00:00:00), the same on every culture.
            failures.Add(
                $"FileLoggingOptions.ShutdownTimeout is {options.ShutdownTimeout.ToString("c", CultureInfo.InvariantCulture)}; " +
                "it must be a positive time span of at most 01:00:00 (one hour).");
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

    private static string? PathError(string path, LogRollInterval interval)
    {
        const string Option = "FileLoggingOptions.Path";
        string shown = Escape(path);
        // Linux allows a newline in a file name, but a log path with one is a configuration mistake (and breaks every
        // tool that reads file names line by line); NUL is not allowed anywhere.
        if (path.Any(char.IsControl))
        {
            return $"{Option} '{shown}' contains a control character (shown as \\uXXXX); remove it.";
        }

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

        // The rolled names (app.20261203_001.log) must fit too, or every write fails once the file is opened.
        int added = SequenceSuffixLength + (interval == LogRollInterval.Day ? DateSuffixLength : 0);
        if (NameLength(fileName) + added > MaxNameLength)
        {
            return $"{Option} '{shown}' has a file name of {NameLength(fileName)} {NameUnit}; with the date and sequence number " +
                $"that rolling adds ({added} more) it must be at most {MaxNameLength - added}.";
        }

        foreach (string segment in path.Split(s_separators, StringSplitOptions.RemoveEmptyEntries))
        {
            if (NameLength(segment) > MaxNameLength)
            {
                return $"{Option} '{shown}' has a directory name of {NameLength(segment)} {NameUnit}; it must be at most {MaxNameLength}.";
            }
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

    private static readonly char[] s_separators = [System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar];

    /// <summary>Windows limits names in UTF-16 units; Unix file systems in bytes, which a non-ASCII name has more of.</summary>
    private static string NameUnit => OperatingSystem.IsWindows() ? "characters" : "bytes";

    private static int NameLength(string name) => OperatingSystem.IsWindows() ? name.Length : System.Text.Encoding.UTF8.GetByteCount(name);

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
