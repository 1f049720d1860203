using System.Globalization;

namespace Musubi.Monitoring.Costs;

/// <summary>Formats amounts for display. Rounding happens only here; the amounts themselves stay exact.</summary>
/// <remarks>Stateless and safe to call from any thread; the output never depends on the thread's culture.</remarks>
public static class CostFormat
{
    /// <summary>Formats US dollars as <c>$0.054399</c>, rounded half away from zero, culture-invariant.</summary>
    /// <param name="amount">The amount in US dollars.</param>
    /// <param name="decimals">The number of decimal places, 0 to 28.</param>
    /// <returns>For example <c>$0.06</c> with 2 decimals, <c>-$1.50</c> for a negative amount.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="decimals"/> is below 0 or above 28.</exception>
    public static string Usd(decimal amount, int decimals = 6)
    {
        if (decimals is < 0 or > 28)
        {
            throw new ArgumentOutOfRangeException(nameof(decimals), decimals, $"decimals is {decimals}; it must be from 0 to 28.");
        }

        decimal rounded = Math.Round(amount, decimals, MidpointRounding.AwayFromZero);
        string digits = Math.Abs(rounded).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return rounded < 0 ? "-$" + digits : "$" + digits;
    }
}
