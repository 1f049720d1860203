using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Musubi.Monitoring.Costs.Cli;

/// <summary>Options that several commands take, built fresh for each command.</summary>
internal static class CommonOptions
{
    /// <summary>The <c>--prices &lt;file&gt;</c> option: a LiteLLM-format price file loaded over the built-in table.</summary>
    /// <returns>The option.</returns>
    public static Option<string?> Prices() => new("--prices")
    {
        Description = "A LiteLLM-format price file (model_prices_and_context_window.json) loaded over the built-in table.",
        HelpName = "file",
    };

    /// <summary>A <c>--format</c> option that accepts only <paramref name="formats"/>; the first is the default.</summary>
    /// <param name="formats">The formats.</param>
    /// <returns>The option.</returns>
    public static Option<string> Format(params string[] formats)
    {
        var option = new Option<string>("--format")
        {
            Description = $"The output format: {string.Join(", ", formats)}.",
            DefaultValueFactory = _ => formats[0],
        };
        option.AcceptOnlyFromAmong(formats);
        return option;
    }

    /// <summary>A token-count option that refuses a negative value, naming it.</summary>
    /// <param name="name">The option's name.</param>
    /// <param name="description">The help text.</param>
    /// <param name="aliases">Other names.</param>
    /// <returns>The option.</returns>
    public static Option<long> Tokens(string name, string description, params string[] aliases)
    {
        var option = new Option<long>(name, aliases) { Description = description, HelpName = "count" };
        option.CustomParser = result =>
        {
            // Parsed here rather than by the default converter so both messages name the option as typed and the value.
            string used = (result.Parent as OptionResult)?.IdentifierToken?.Value ?? name;
            string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
            if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            {
                result.AddError($"{used} is '{text}'; a token count must be a whole number of zero or more.");
                return 0;
            }

            if (value < 0)
            {
                result.AddError($"{used} is {value}; a token count must be zero or more.");
            }

            return value;
        };
        return option;
    }
}
