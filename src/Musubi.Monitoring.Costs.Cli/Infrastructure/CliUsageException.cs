namespace Musubi.Monitoring.Costs.Cli;

/// <summary>A usage or input error: the message is printed as <c>error: …</c> and the tool exits with <see cref="ExitCodes.UsageError"/>.</summary>
internal sealed class CliUsageException : Exception
{
    /// <summary>Initializes an exception with no message.</summary>
    public CliUsageException()
    {
    }

    /// <summary>Initializes an exception whose message names the bad value and what is allowed.</summary>
    /// <param name="message">The message.</param>
    public CliUsageException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes an exception with the exception that caused it.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public CliUsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
