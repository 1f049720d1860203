using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Musubi.Monitoring.Quality.Cli.HealthCheck;

/// <summary><c>musubi-validate health-check --url &lt;url&gt; [--timeout s] [--format text|json]</c>.</summary>
internal static class HealthCheckCommand
{
    /// <summary>The timeout when <c>--timeout</c> is not given.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Creates the command.</summary>
    /// <param name="context">Where it writes and its clock.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var url = new Option<string>("--url", "-u")
        {
            Description = "The health endpoint of a running host, such as http://127.0.0.1:5000/health/ready.",
            Required = true,
            HelpName = "url",
        };
        url.Validators.Add(result =>
        {
            string? text = result.GetValueOrDefault<string>();
            if (text is not null && !TryParseUrl(text, out _))
            {
                result.AddError($"--url '{text}' is not an absolute http:// or https:// URL.");
            }
        });

        var timeout = new Option<double>("--timeout", "-t")
        {
            Description = "Seconds to wait for the whole answer (more than 0, at most 3600).",
            DefaultValueFactory = _ => DefaultTimeout.TotalSeconds,
            HelpName = "seconds",

            // Parsed here rather than by System.CommandLine, which reads numbers in the current culture (under de-DE
            // "2.5" is 25) and throws out of the range validator when the text is not a number.
            CustomParser = ParseSeconds,
        };

        var format = new Option<string>("--format", "-f")
        {
            Description = "text (a table; colour only on a terminal) or json.",
            DefaultValueFactory = _ => "text",
            HelpName = "text|json",
        };
        format.AcceptOnlyFromAmong("text", "json");

        var command = new Command(
            "health-check",
            "GETs a running host's health endpoint, prints each check (name, status, duration, description) and exits by status: " +
            "0 Healthy, 2 Degraded, 3 Unhealthy, 4 no health answer (refused, timeout, not a health report), 1 usage error.")
        {
            url,
            timeout,
            format,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            _ = TryParseUrl(parse.GetRequiredValue(url), out Uri? target);
            TimeSpan wait = TimeSpan.FromSeconds(parse.GetValue(timeout));
            bool json = parse.GetValue(format) == "json";
            (HealthAnswer? answer, string? failure) = await HealthProbe.GetAsync(target!, wait, context.Time, cancellationToken);
            if (answer is null)
            {
                await context.Error.WriteLineAsync(failure);
                if (json)
                {
                    HealthAnswerWriter.WriteFailureJson(context.Output, target!, failure!);
                }

                return ExitCodes.Unreachable;
            }

            if (json)
            {
                HealthAnswerWriter.WriteJson(context.Output, answer);
            }
            else
            {
                HealthAnswerWriter.WriteText(context, answer);
            }

            return ExitCode(answer.Status);
        });
        return command;
    }

    /// <summary>The exit code of a status: 0 Healthy, 2 Degraded, 3 Unhealthy.</summary>
    /// <param name="status">The status.</param>
    /// <returns>The exit code.</returns>
    public static int ExitCode(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => ExitCodes.Success,
        HealthStatus.Degraded => ExitCodes.Degraded,
        _ => ExitCodes.Unhealthy,
    };

    /// <summary>Reads <c>--timeout</c>: a number of seconds with a decimal point, more than 0 and at most 3600.</summary>
    private static double ParseSeconds(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (!double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out double seconds)
            || !double.IsFinite(seconds))
        {
            result.AddError($"--timeout '{text}' is not a number of seconds; give a number such as 10 or 2.5, more than 0 and at most 3600.");
            return 0;
        }

        if (!(seconds > 0 && seconds <= 3600))
        {
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"--timeout {text} is out of range; give seconds more than 0 and at most 3600."));
        }

        return seconds;
    }

    private static bool TryParseUrl(string text, out Uri? url) =>
        Uri.TryCreate(text, UriKind.Absolute, out url)
        && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
        && !string.IsNullOrEmpty(url.Host);
}
