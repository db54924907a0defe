using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace NetworkOperator.Cli;

/// <summary>
/// Options of every command read alike: a value that is not a number, below the option's minimum or not among the
/// allowed words is reported as one line naming the option, never with a .NET type name.
/// </summary>
public static class OptionRules
{
    /// <summary>Accepts only <paramref name="values"/>; the message names the option and lists them on one line.</summary>
    public static Option<string> OneOf(this Option<string> option, params string[] values)
    {
        option.CompletionSources.Add(values);
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && !values.Contains(result.Tokens[^1].Value, StringComparer.Ordinal))
            {
                result.AddError($"{string.Join('/', option.Aliases.Order(StringComparer.Ordinal).Append(option.Name))} must be one of {string.Join(", ", values)}, got '{result.Tokens[^1].Value}'");
            }
        });
        return option;
    }

    /// <summary>Rejects values below <paramref name="minimum"/> at parse time.</summary>
    public static Option<int> AtLeast(this Option<int> option, int minimum)
    {
        option.Validators.Add(result => CheckMinimum(result, option.Name, minimum));
        return option;
    }

    /// <inheritdoc cref="AtLeast(Option{int}, int)"/>
    public static Option<int?> AtLeast(this Option<int?> option, int minimum)
    {
        option.Validators.Add(result => CheckMinimum(result, option.Name, minimum));
        return option;
    }

    /// <summary>Gives every <c>int</c> option under <paramref name="command"/> the parser with the one-line message.</summary>
    public static void UseReadableParsers(Command command)
    {
        foreach (var option in command.Options)
        {
            switch (option)
            {
                case Option<int> number when number.CustomParser is null:
                    number.CustomParser = result => Parse(result, number.Name) ?? 0;
                    break;
                case Option<int?> optional when optional.CustomParser is null:
                    optional.CustomParser = result => Parse(result, optional.Name);
                    break;
            }
        }

        foreach (var sub in command.Subcommands)
        {
            UseReadableParsers(sub);
        }
    }

    private static int? Parse(ArgumentResult result, string name)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        result.AddError($"{name} expects a whole number, got '{text}'");
        return null;
    }

    private static void CheckMinimum(OptionResult result, string name, int minimum)
    {
        if (result.Tokens.Count > 0 &&
            int.TryParse(result.Tokens[^1].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) &&
            value < minimum)
        {
            result.AddError($"{name} must be at least {minimum}, got {value}");
        }
    }
}
