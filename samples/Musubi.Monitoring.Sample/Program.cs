// Musubi.Monitoring sample: an ASP.NET Core host with request metrics and a Prometheus /metrics endpoint.
//
//   dotnet run --project samples/Musubi.Monitoring.Sample
//       Demo: starts the host on 127.0.0.1 (a free port), drives a few seconds of real HTTP traffic at it,
//       prints a summary, writes the scrape to artifacts/metrics.prom and exits (0 when every response the
//       client saw was recorded by the server).
//
//   dotnet run --project samples/Musubi.Monitoring.Sample -- --serve --urls http://127.0.0.1:5080
//       Serve: only runs the host until Ctrl+C (or SIGTERM); MUSUBI_SAMPLE_SERVE=1 does the same.
//       Prints "Listening on <address>" once bound, so --urls http://127.0.0.1:0 works too.
using Musubi.Monitoring.Sample;

bool serve = args.Contains(SampleApp.ServeSwitch, StringComparer.Ordinal)
    || Environment.GetEnvironmentVariable("MUSUBI_SAMPLE_SERVE") == "1";
string[] hostArgs = [.. args.Where(a => a != SampleApp.ServeSwitch)];

return serve ? await SampleApp.ServeAsync(hostArgs) : await Demo.RunAsync(hostArgs);
