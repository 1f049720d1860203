using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Musubi.Monitoring.Incidents;

/// <summary>Checks <see cref="IncidentOptions"/> at start-up, naming each bad option and its value.</summary>
internal sealed partial class IncidentOptionsValidator : IValidateOptions<IncidentOptions>
{
    public ValidateOptionsResult Validate(string? name, IncidentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.IdPrefix is null || !IdPrefixPattern().IsMatch(options.IdPrefix))
        {
            failures.Add($"IncidentOptions.IdPrefix is '{options.IdPrefix}'; use 1 to 10 ASCII upper-case letters or digits, starting with a letter.");
        }

        if (options.ConflictRetries is < 0 or > 100)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"IncidentOptions.ConflictRetries is {options.ConflictRetries}; use 0 to 100."));
        }

        CheckSeverity(failures, nameof(IncidentOptions.SloPageSeverity), options.SloPageSeverity);
        CheckSeverity(failures, nameof(IncidentOptions.SloTicketSeverity), options.SloTicketSeverity);
        CheckSeverity(failures, "Alertmanager.DefaultSeverity", options.Alertmanager.DefaultSeverity);
        foreach (KeyValuePair<string, Severity> entry in options.Alertmanager.SeverityMap)
        {
            CheckSeverity(failures, $"Alertmanager.SeverityMap[\"{entry.Key}\"]", entry.Value);
        }

        if (string.IsNullOrWhiteSpace(options.Alertmanager.SeverityLabel))
        {
            failures.Add("IncidentOptions.Alertmanager.SeverityLabel is empty; name the label that carries the severity (such as 'severity').");
        }

        if (!Enum.IsDefined(options.Alertmanager.Grouping))
        {
            failures.Add($"IncidentOptions.Alertmanager.Grouping is {options.Alertmanager.Grouping}; use PerAlert or PerGroup.");
        }

        if (options.StatisticsWindow < TimeSpan.FromHours(1) || options.StatisticsWindow > TimeSpan.FromDays(366))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"IncidentOptions.StatisticsWindow is {options.StatisticsWindow}; use 1 hour to 366 days."));
        }

        if (options.StatisticsRefreshInterval < TimeSpan.FromSeconds(1) || options.StatisticsRefreshInterval > TimeSpan.FromHours(1))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"IncidentOptions.StatisticsRefreshInterval is {options.StatisticsRefreshInterval}; use 1 second to 1 hour."));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckSeverity(List<string> failures, string option, Severity severity)
    {
        if (severity is < Severity.Sev1 or > Severity.Sev5)
        {
            failures.Add($"IncidentOptions.{option} is {severity}; use Severity.Sev1 to Severity.Sev5.");
        }
    }

    [GeneratedRegex("^[A-Z][A-Z0-9]{0,9}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPrefixPattern();
}
