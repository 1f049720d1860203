using Musubi.Monitoring.Costs.Cli;

// musubi-costs: see CostsCli for the commands and README.md ("musubi-costs") for their use.
return await CostsCli.RunAsync(args, CliEnvironment.FromProcess(), TimeProvider.System);
