namespace Musubi.Monitoring.Costs.Cli;

/// <summary>The process exit codes of <c>musubi-costs</c>.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Ok = 0;

    /// <summary>A usage or input error (a parse error, a bad value, a missing or malformed file, an unpriced estimate, a refused reset).</summary>
    public const int UsageError = 1;

    /// <summary><c>budget status --check</c> found a budget at or over its limit.</summary>
    public const int OverBudget = 2;
}
