namespace Musubi.Monitoring.AI;

/// <summary>Thrown by the cost-tracking chat client when an enforced budget refuses a call before it is sent.</summary>
public sealed class BudgetExceededException : InvalidOperationException
{
    /// <summary>Creates the exception with a default message.</summary>
    public BudgetExceededException()
        : base("An enforced budget refused the chat call.")
    {
        BudgetName = string.Empty;
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public BudgetExceededException(string message)
        : base(message)
    {
        BudgetName = string.Empty;
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The inner exception.</param>
    public BudgetExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
        BudgetName = string.Empty;
    }

    /// <summary>Creates the exception for a refused call.</summary>
    /// <param name="message">The message, with the numbers.</param>
    /// <param name="budgetName">The name of the budget that refused the call.</param>
    /// <param name="limit">The budget's limit, in US dollars.</param>
    /// <param name="spent">What was spent in the budget's current period, in US dollars.</param>
    /// <param name="estimatedCost">The estimated cost of the refused call, in US dollars.</param>
    public BudgetExceededException(string message, string budgetName, decimal limit, decimal spent, decimal estimatedCost)
        : base(message)
    {
        BudgetName = budgetName;
        Limit = limit;
        Spent = spent;
        EstimatedCost = estimatedCost;
    }

    /// <summary>The name of the budget that refused the call.</summary>
    public string BudgetName { get; }

    /// <summary>The budget's limit, in US dollars.</summary>
    public decimal Limit { get; }

    /// <summary>What was spent in the budget's current period, in US dollars.</summary>
    public decimal Spent { get; }

    /// <summary>The estimated cost of the refused call, in US dollars.</summary>
    public decimal EstimatedCost { get; }
}
