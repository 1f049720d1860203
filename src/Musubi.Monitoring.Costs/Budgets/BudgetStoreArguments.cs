namespace Musubi.Monitoring.Costs;

/// <summary>Argument checks shared by the <see cref="IBudgetStore"/> implementations.</summary>
internal static class BudgetStoreArguments
{
    /// <summary>Throws when <paramref name="kind"/> is not a defined <see cref="BudgetAlertKind"/>.</summary>
    /// <param name="kind">The alert kind.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not defined; the message names it.</exception>
    public static void ThrowIfUndefined(BudgetAlertKind kind)
    {
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, $"Budget alert kind {(int)kind} is unknown; use Warning or Exceeded.");
        }
    }
}
