using Spectre.Console;

namespace Musubi.Monitoring.Quality.Cli.Output;

/// <summary>Spectre.Console over the context's output, for a terminal only.</summary>
internal static class Terminal
{
    /// <summary>Creates a console that writes ANSI colour to <paramref name="context"/>'s output.</summary>
    /// <param name="context">The context; <see cref="CliContext.IsTerminal"/> should be true.</param>
    /// <returns>The console.</returns>
    public static IAnsiConsole Create(CliContext context)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.Detect,
            Out = new AnsiConsoleOutput(context.Output),
        });
        if (context.Width is { } width)
        {
            console.Profile.Width = width;
        }

        console.Profile.Capabilities.Unicode = context.Unicode;
        return console;
    }
}
