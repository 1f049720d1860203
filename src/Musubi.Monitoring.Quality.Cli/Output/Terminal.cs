using Spectre.Console;

namespace Musubi.Monitoring.Quality.Cli.Output;

/// <summary>Spectre.Console over the context's output, for a terminal only.</summary>
internal static class Terminal
{
    /// <summary>Creates a console that writes ANSI colour to <paramref name="context"/>'s output.</summary>
    /// <param name="context">The context; <see cref="CliContext.IsTerminal"/> should be true.</param>
    /// <param name="width">
    /// The width Spectre.Console lays out and wraps to; the terminal's when <see langword="null"/>. Text that is laid out
    /// already (the quality dashboard) passes its own width, so Spectre.Console only colours it and never re-wraps it.
    /// </param>
    /// <returns>The console.</returns>
    public static IAnsiConsole Create(CliContext context, int? width = null)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.Detect,
            Out = new AnsiConsoleOutput(context.Output),
        });
        if ((width ?? context.Width) is { } columns)
        {
            console.Profile.Width = columns;
        }

        console.Profile.Capabilities.Unicode = context.Unicode;
        return console;
    }
}
