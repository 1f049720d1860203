namespace Musubi.Monitoring.Quality.Cli.Tests.Support;

/// <summary>Runs musubi-validate in-process over string writers and a chosen clock.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static async Task<CliRun> RunAsync(TimeProvider time, string directory, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CliContext(output, error, time, directory);
        int code = await ValidateCli.RunAsync(args, context, TestContext.Current.CancellationToken);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    public static Task<CliRun> RunAsync(params string[] args) => RunAsync(TimeProvider.System, Directory.GetCurrentDirectory(), args);
}
