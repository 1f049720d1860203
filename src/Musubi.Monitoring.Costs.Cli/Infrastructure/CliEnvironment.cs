using Spectre.Console;

namespace Musubi.Monitoring.Costs.Cli;

/// <summary>
/// What the commands read from and write to: standard output, error and input, whether they are a terminal, and the
/// environment variables. <see cref="FromProcess"/> gives the real ones; tests build one over string writers.
/// </summary>
/// <remarks>Not thread-safe; one command runs at a time.</remarks>
internal sealed class CliEnvironment
{
    private readonly Func<string, string?> _getVariable;

    /// <summary>Initializes an environment.</summary>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="input">Standard input (read for the <c>reset</c> confirmation).</param>
    /// <param name="outputIsTerminal">Whether standard output is a terminal (colour, tables and progress only then).</param>
    /// <param name="inputIsTerminal">Whether standard input is a terminal (questions are asked only then).</param>
    /// <param name="getVariable">Reads an environment variable; <see langword="null"/> when unset.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public CliEnvironment(TextWriter output, TextWriter error, TextReader input, bool outputIsTerminal, bool inputIsTerminal, Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(getVariable);
        Output = output;
        Error = error;
        Input = input;
        OutputIsTerminal = outputIsTerminal;
        InputIsTerminal = inputIsTerminal;
        _getVariable = getVariable;
    }

    /// <summary>Gets standard output.</summary>
    public TextWriter Output { get; }

    /// <summary>Gets standard error.</summary>
    public TextWriter Error { get; }

    /// <summary>Gets standard input.</summary>
    public TextReader Input { get; }

    /// <summary>Gets a value indicating whether standard output is a terminal.</summary>
    public bool OutputIsTerminal { get; }

    /// <summary>Gets a value indicating whether standard input is a terminal.</summary>
    public bool InputIsTerminal { get; }

    /// <summary>
    /// Gets a value indicating whether output is decorated (Spectre.Console tables, colour, progress): only when standard
    /// output is a terminal, <c>NO_COLOR</c> is unset or empty (https://no-color.org) and <c>TERM</c> is not <c>dumb</c>.
    /// </summary>
    public bool IsRich =>
        OutputIsTerminal
        && string.IsNullOrEmpty(GetVariable("NO_COLOR"))
        && !string.Equals(GetVariable("TERM"), "dumb", StringComparison.Ordinal);

    /// <summary>Gets a value indicating whether a person can be asked a question (standard input and output are terminals).</summary>
    public bool IsInteractive => InputIsTerminal && OutputIsTerminal;

    /// <summary>The environment of this process: <see cref="Console"/>'s streams and redirection flags.</summary>
    /// <returns>The environment.</returns>
    public static CliEnvironment FromProcess() => new(
        Console.Out,
        Console.Error,
        Console.In,
        outputIsTerminal: !Console.IsOutputRedirected,
        inputIsTerminal: !Console.IsInputRedirected,
        Environment.GetEnvironmentVariable);

    /// <summary>Reads an environment variable.</summary>
    /// <param name="name">The variable's name.</param>
    /// <returns>Its value, or <see langword="null"/> when unset.</returns>
    public string? GetVariable(string name) => _getVariable(name);

    /// <summary>A Spectre.Console console over <see cref="Output"/> that writes ANSI colour; use only when <see cref="IsRich"/>.</summary>
    /// <returns>The console.</returns>
    public IAnsiConsole CreateAnsiConsole() => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.Yes,
        ColorSystem = ColorSystemSupport.Detect,
        Interactive = IsInteractive ? InteractionSupport.Yes : InteractionSupport.No,
        Out = new AnsiConsoleOutput(Output),
    });
}
