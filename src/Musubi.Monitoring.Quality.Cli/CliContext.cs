using System.Globalization;

namespace Musubi.Monitoring.Quality.Cli;

/// <summary>What a command needs from its surroundings: where to write, the clock, the folder and the terminal.</summary>
/// <remarks>
/// <see cref="Program"/> builds one from the real console; tests build one over a <see cref="StringWriter"/> and a
/// <c>FakeTimeProvider</c> and run the commands in-process.
/// </remarks>
internal sealed class CliContext
{
    /// <summary>Creates a context that writes plain text (no colour, no terminal).</summary>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="time">The clock for timeouts and durations.</param>
    /// <param name="currentDirectory">The folder that relative paths and report discovery start from.</param>
    public CliContext(TextWriter output, TextWriter error, TimeProvider time, string currentDirectory)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentException.ThrowIfNullOrWhiteSpace(currentDirectory);
        Output = output;
        Error = error;
        Time = time;
        CurrentDirectory = currentDirectory;
    }

    /// <summary>Standard output.</summary>
    public TextWriter Output { get; }

    /// <summary>Standard error.</summary>
    public TextWriter Error { get; }

    /// <summary>The clock for timeouts and durations.</summary>
    public TimeProvider Time { get; }

    /// <summary>The folder that relative paths and report discovery start from.</summary>
    public string CurrentDirectory { get; }

    /// <summary>
    /// Whether <see cref="Output"/> is an interactive terminal that shows ANSI colour: false when output is
    /// redirected, when <c>NO_COLOR</c> is set, or when <c>TERM</c> is <c>dumb</c>. Tables and colour are drawn
    /// with Spectre.Console only then; otherwise output is plain text.
    /// </summary>
    public bool IsTerminal { get; init; }

    /// <summary>Whether the terminal shows Unicode (box lines, bars); plain ASCII otherwise.</summary>
    public bool Unicode { get; init; }

    /// <summary>The width in columns to lay out for: <c>COLUMNS</c> when set, else the terminal's, when known.</summary>
    public int? Width { get; init; }

    /// <summary>Creates the context of the real console, honouring <c>NO_COLOR</c>, <c>COLUMNS</c> and redirected output.</summary>
    /// <param name="time">The clock.</param>
    /// <returns>The context.</returns>
    public static CliContext FromConsole(TimeProvider time)
    {
        bool terminal = !Console.IsOutputRedirected
            && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
            && !string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);
        // COLUMNS, when set, wins (as in most tools): a pty without a size, or a CI log, can still be given a width.
        int? width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), NumberStyles.None, CultureInfo.InvariantCulture, out int columns) && columns > 0
            ? columns
            : null;
        if (width is null && !Console.IsOutputRedirected)
        {
            try
            {
                width = Console.WindowWidth > 0 ? Console.WindowWidth : null;
            }
            catch (IOException)
            {
                // No console window (a service, a pipe on some platforms): width unknown.
            }
        }

        return new CliContext(Console.Out, Console.Error, time, Environment.CurrentDirectory)
        {
            IsTerminal = terminal,
            Unicode = Console.OutputEncoding.WebName.StartsWith("utf-", StringComparison.OrdinalIgnoreCase),
            Width = width,
        };
    }

    /// <summary>Resolves <paramref name="path"/> against <see cref="CurrentDirectory"/>.</summary>
    /// <param name="path">An absolute or relative path.</param>
    /// <returns>The full path.</returns>
    public string FullPath(string path) => Path.GetFullPath(path, CurrentDirectory);
}
