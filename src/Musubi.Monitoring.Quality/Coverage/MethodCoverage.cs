namespace Musubi.Monitoring.Quality;

/// <summary>A method of a source file and the coverable lines that belong to it.</summary>
/// <remarks>
/// A method is covered when one of its lines was hit; a method none of whose lines is coverable is not counted
/// at all (see <see cref="CoverageSummary.Methods"/>). Immutable and safe to share.
/// </remarks>
public sealed class MethodCoverage
{
    internal MethodCoverage(string name, string signature, int firstLine, int[] lines)
    {
        Name = name;
        Signature = signature;
        FirstLine = firstLine;
        Lines = lines;
    }

    /// <summary>The method's name as the report gives it, such as <c>Checkout</c> or <c>Shop.Cart::Add</c>.</summary>
    public string Name { get; }

    /// <summary>The signature as the report gives it, such as <c>(System.Int32)</c>; empty when the format has none.</summary>
    public string Signature { get; }

    /// <summary>The first line of the method; 0 when the report gives no line.</summary>
    public int FirstLine { get; }

    /// <summary>The method's coverable line numbers, ascending.</summary>
    public IReadOnlyList<int> Lines { get; }

    /// <inheritdoc/>
    public override string ToString() => Name + Signature;
}
