using System.Globalization;
using Microsoft.Extensions.Options;

namespace Musubi.Monitoring.Costs;

/// <summary>Checks <see cref="CostOptions.Budgets"/>: no <see langword="null"/> entry, no name used twice.</summary>
internal sealed class CostOptionsBudgetsValidator : IValidateOptions<CostOptions>
{
    public ValidateOptionsResult Validate(string? name, CostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < options.Budgets.Count; i++)
        {
            Budget? budget = options.Budgets[i];
            if (budget is null)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"CostOptions.Budgets[{i}] is null; remove it or add a Budget."));
            }
            else if (!names.Add(budget.Name))
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"CostOptions.Budgets[{i}]: budget name '{budget.Name}' is used twice; budget names must be unique."));
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
