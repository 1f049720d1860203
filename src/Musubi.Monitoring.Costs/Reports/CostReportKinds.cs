namespace Musubi.Monitoring.Costs;

/// <summary>Which period a <see cref="CostReport"/> covers.</summary>
public enum CostReportPeriod
{
    /// <summary>Every record given (for a ledger: every record up to now); no time bounds.</summary>
    Session = 0,

    /// <summary>The calendar day, in the report's time zone, that contains "now".</summary>
    Daily,

    /// <summary>The ISO week (Monday to Sunday), in the report's time zone, that contains "now".</summary>
    Weekly,

    /// <summary>The calendar month, in the report's time zone, that contains "now".</summary>
    Monthly,
}

/// <summary>What a <see cref="CostReport"/> groups its rows by.</summary>
public enum CostReportGrouping
{
    /// <summary>By <see cref="LlmUsage.Provider"/>.</summary>
    Provider = 0,

    /// <summary>By <see cref="CostRecord.Model"/> (the response model when known, else the request model).</summary>
    Model,

    /// <summary>By <see cref="LlmUsage.Operation"/>.</summary>
    Operation,

    /// <summary>By <see cref="UsageAttribution.User"/>; records without one go under <c>(none)</c>.</summary>
    User,

    /// <summary>By <see cref="UsageAttribution.Feature"/>; records without one go under <c>(none)</c>.</summary>
    Feature,
}
