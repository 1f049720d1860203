using System.Globalization;

namespace Musubi.Monitoring.Costs.Cli;

/// <summary>Exact, culture-invariant money text: every digit the <see cref="decimal"/> holds, no trailing zeros, no rounding.</summary>
internal static class Money
{
    private const string ExactFormat = "0.############################";

    /// <summary>The exact amount, for example <c>0.03</c> (not <c>0.03000</c>, never <c>0.030000000000000002</c>).</summary>
    /// <param name="amount">The amount.</param>
    /// <returns>The text.</returns>
    public static string Exact(decimal amount) => amount.ToString(ExactFormat, CultureInfo.InvariantCulture);

    /// <summary>The exact amount in US dollars, for example <c>$0.03</c> or <c>-$1.5</c>.</summary>
    /// <param name="amount">The amount.</param>
    /// <returns>The text.</returns>
    public static string Usd(decimal amount) => amount < 0 ? "-$" + Exact(-amount) : "$" + Exact(amount);

    /// <summary>An optional per-token price, exact, or <c>-</c> when there is none.</summary>
    /// <param name="price">The price.</param>
    /// <returns>The text.</returns>
    public static string PerToken(decimal? price) => price is { } value ? Usd(value) : "-";
}
