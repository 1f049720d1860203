namespace Musubi.Monitoring.Costs.Cli;

/// <summary>Builds the pricing catalogue: the built-in table, plus a LiteLLM-format price file when one is given.</summary>
internal static class CatalogLoader
{
    /// <summary>Loads the catalogue. A malformed entry of the file is reported on standard error and skipped; the rest load.</summary>
    /// <param name="context">Where warnings go.</param>
    /// <param name="pricesFile">The <c>--prices</c> file, or <see langword="null"/>.</param>
    /// <returns>The catalogue.</returns>
    /// <exception cref="CliUsageException">The path is empty or a folder, or the file is missing, unreadable, not JSON, or its root is not an object; the message names the file and the problem.</exception>
    public static PricingCatalog Load(CliContext context, string? pricesFile)
    {
        PricingCatalog catalog = PricingCatalog.CreateDefault();
        if (pricesFile is null)
        {
            return catalog;
        }

        if (string.IsNullOrWhiteSpace(pricesFile))
        {
            throw new CliUsageException("--prices is empty; give a LiteLLM-format price file such as model_prices_and_context_window.json.");
        }

        string path = Path.GetFullPath(pricesFile);
        if (Directory.Exists(path))
        {
            throw new CliUsageException($"Price file '{path}' is a folder, not a file.");
        }

        if (!File.Exists(path))
        {
            throw new CliUsageException($"Price file '{path}' does not exist.");
        }

        IReadOnlyList<PricingLoadIssue> issues;
        try
        {
            using FileStream stream = File.OpenRead(path);
            issues = catalog.LoadLiteLlmJson(stream);
        }
        catch (InvalidDataException e)
        {
            throw new CliUsageException($"Price file '{path}' is malformed: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"Price file '{path}' could not be read: {e.Message}", e);
        }

        foreach (PricingLoadIssue issue in issues)
        {
            context.Warn($"price file '{path}': skipped entry '{issue.ModelKey}': {issue.Reason}");
        }

        return catalog;
    }
}
