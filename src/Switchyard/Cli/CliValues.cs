using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Switchyard.Cli;

/// <summary>Options whose bad values get a readable message (not the parser's type names).</summary>
internal static class CliValues
{
    /// <summary>An optional whole number of at least <paramref name="minimum"/>.</summary>
    public static Option<int?> WholeNumber(string name, string description, int minimum = 1) => new(name)
    {
        Description = description,
        HelpName = "n",
        CustomParser = result =>
        {
            var text = Single(result);
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= minimum)
            {
                return value;
            }

            result.AddError($"{name}: '{text}' is not a whole number of at least {minimum.ToString(CultureInfo.InvariantCulture)}.");
            return null;
        },
    };

    /// <summary>An optional amount in US dollars (0 or more, a dot for decimals).</summary>
    public static Option<decimal?> Dollars(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "usd",
        CustomParser = result =>
        {
            var text = Single(result);
            if (decimal.TryParse(text, NumberStyles.Number & ~NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var value) && value >= 0)
            {
                return value;
            }

            result.AddError($"{name}: '{text}' is not an amount in dollars (e.g. 50 or 12.5).");
            return null;
        },
    };

    private static string Single(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
}
