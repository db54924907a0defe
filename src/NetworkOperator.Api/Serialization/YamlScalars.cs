using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NetworkOperator.Api.Serialization;

/// <summary>
/// How an unquoted YAML scalar is typed. Follows the YAML 1.1 rules kubectl's parser (go-yaml v2 via sigs.k8s.io/yaml)
/// applies, so a manifest means the same here as with kubectl — including <c>yes</c>/<c>on</c> being booleans.
/// </summary>
internal static partial class YamlScalars
{
    [GeneratedRegex("^(~|null|Null|NULL)$")]
    private static partial Regex NullPattern();

    [GeneratedRegex("^(yes|Yes|YES|true|True|TRUE|on|On|ON)$")]
    private static partial Regex TruePattern();

    [GeneratedRegex("^(no|No|NO|false|False|FALSE|off|Off|OFF)$")]
    private static partial Regex FalsePattern();

    [GeneratedRegex("^[-+]?[0-9][0-9_]*$")]
    private static partial Regex DecimalPattern();

    [GeneratedRegex("^[-+]?0[xX][0-9a-fA-F_]+$|^[-+]?0[oObB][0-7_]+$")]
    private static partial Regex PrefixedIntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9_]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    [GeneratedRegex(@"^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$")]
    private static partial Regex SpecialFloatPattern();

    /// <summary>
    /// True when a string written unquoted could be read back as something other than that string. Single-letter
    /// y/n are read as strings here but quoted on output, since some YAML 1.1 parsers read them as booleans.
    /// </summary>
    public static bool NeedsQuoting(string value) =>
        value.Length == 0 || value is "y" or "Y" or "n" or "N"
        || NullPattern().IsMatch(value) || TruePattern().IsMatch(value) || FalsePattern().IsMatch(value)
        || DecimalPattern().IsMatch(value) || PrefixedIntegerPattern().IsMatch(value)
        || FloatPattern().IsMatch(value) || SpecialFloatPattern().IsMatch(value)
        || value == "<<" || value == "=";

    /// <summary>The JSON value of a plain (unquoted, untagged) scalar.</summary>
    public static JsonNode? Resolve(string plain)
    {
        if (plain.Length == 0 || NullPattern().IsMatch(plain))
        {
            return null;
        }

        if (TruePattern().IsMatch(plain))
        {
            return JsonValue.Create(true);
        }

        if (FalsePattern().IsMatch(plain))
        {
            return JsonValue.Create(false);
        }

        var digits = plain.Replace("_", string.Empty, StringComparison.Ordinal);
        if (DecimalPattern().IsMatch(plain))
        {
            var octal = digits.TrimStart('-', '+');
            if (octal.Length > 1 && octal[0] == '0' && octal.All(c => c is >= '0' and <= '7'))
            {
                return ParsePrefixed(digits, 8);
            }

            if (long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            {
                return JsonValue.Create(number);
            }

            return JsonNode.Parse(digits.TrimStart('+'));
        }

        if (PrefixedIntegerPattern().IsMatch(plain))
        {
            var unsigned = digits.TrimStart('-', '+');
            var radix = char.ToLowerInvariant(unsigned[1]) switch { 'x' => 16, 'o' => 8, _ => 2 };
            return ParsePrefixed(digits[..(digits.Length - unsigned.Length)] + unsigned[2..], radix);
        }

        if (FloatPattern().IsMatch(plain)
            && double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            return JsonValue.Create(real);
        }

        // Infinity and NaN have no JSON form; keeping the text lets the type check report it against the field.
        return JsonValue.Create(plain);
    }

    private static JsonValue ParsePrefixed(string signedDigits, int radix)
    {
        var negative = signedDigits.StartsWith('-');
        var body = signedDigits.TrimStart('-', '+');
        if (radix == 8 && body.Length > 1 && body[0] == '0')
        {
            body = body[1..];
        }

        try
        {
            var value = Convert.ToInt64(body, radix);
            return JsonValue.Create(negative ? -value : value);
        }
        catch (OverflowException)
        {
            return JsonValue.Create(signedDigits);
        }
    }
}
