using System.CommandLine;
using System.CommandLine.Help;
using Musubi.Monitoring.Quality.Cli.HealthCheck;
using Musubi.Monitoring.Quality.Cli.Quality;

namespace Musubi.Monitoring.Quality.Cli;

/// <summary>The <c>musubi-validate</c> command tree.</summary>
internal static class ValidateCli
{
    /// <summary>The command name of the installed tool.</summary>
    public const string ToolName = "musubi-validate";

    /// <summary>Creates the root command with every subcommand.</summary>
    /// <param name="context">Where the commands write, their clock and folder.</param>
    /// <returns>The root command.</returns>
    public static Command CreateRootCommand(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        // A named Command rather than RootCommand: RootCommand takes its name from the running assembly
        // (Musubi.Monitoring.Quality.Cli), and help should say the tool's name whether it runs installed or from source.
        var root = new Command(ToolName, "Quality dashboards and gates from coverage and test reports, and health checks of a running host.")
        {
            new HelpOption(),
            new VersionOption(),
            QualityCommand.Create(context),
            HealthCheckCommand.Create(context),
        };
        return root;
    }

    /// <summary>Parses and runs a command line.</summary>
    /// <param name="args">The arguments, without the program name.</param>
    /// <param name="context">Where the commands write, their clock and folder.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>The exit code (see <see cref="ExitCodes"/>).</returns>
    public static Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        ParseResult parse = CreateRootCommand(context).Parse(args);
        return parse.InvokeAsync(new InvocationConfiguration { Output = context.Output, Error = context.Error }, cancellationToken);
    }
}
