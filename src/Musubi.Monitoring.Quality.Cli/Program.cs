using Musubi.Monitoring.Quality.Cli;

return await ValidateCli.RunAsync(args, CliContext.FromConsole(TimeProvider.System));
