using System.Globalization;
using System.Text.RegularExpressions;

namespace NetworkOperator.Simulator.Validation;

/// <summary>
/// Resource quantities as resource.Quantity parses them ("500m", "1Gi", "1e3"): syntax, value and the canonical text
/// the real server prints in messages.
/// </summary>
internal sealed partial record Quantity(decimal Value, QuantityFormat Format)
{
    /// <summary>The decode error of the real server for a malformed quantity.</summary>
    public const string SyntaxError = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

    private static readonly (string Suffix, decimal Factor)[] DecimalSuffixes =
    [
        ("n", 0.000000001m), ("u", 0.000001m), ("m", 0.001m), ("", 1m), ("k", 1e3m), ("M", 1e6m), ("G", 1e9m), ("T", 1e12m),
        ("P", 1e15m), ("E", 1e18m),
    ];

    private static readonly (string Suffix, decimal Factor)[] BinarySuffixes =
    [
        ("Ki", 1024m), ("Mi", 1048576m), ("Gi", 1073741824m), ("Ti", 1099511627776m), ("Pi", 1125899906842624m),
        ("Ei", 1152921504606846976m),
    ];

    public static Quantity? TryParse(string text)
    {
        var match = QuantityRegex().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var number = match.Groups[1].Value;
        var suffix = match.Groups[2].Value;
        if (!decimal.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var mantissa))
        {
            return null;
        }

        try
        {
            foreach (var (s, factor) in BinarySuffixes)
            {
                if (s == suffix)
                {
                    return new Quantity(mantissa * factor, QuantityFormat.BinarySI);
                }
            }

            foreach (var (s, factor) in DecimalSuffixes)
            {
                if (s == suffix)
                {
                    return new Quantity(mantissa * factor, QuantityFormat.DecimalSI);
                }
            }

            if (suffix.Length > 1 && suffix[0] is 'e' or 'E'
                && int.TryParse(suffix[1..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exponent)
                && exponent is >= -27 and <= 27)
            {
                var value = mantissa;
                for (var i = 0; i < Math.Abs(exponent); i++)
                {
                    value = exponent > 0 ? value * 10 : value / 10;
                }

                return new Quantity(value, QuantityFormat.DecimalExponent);
            }
        }
        catch (OverflowException)
        {
            return null;
        }

        return null;
    }

    public bool IsNegative => Value < 0;

    public bool IsInteger => Value == decimal.Truncate(Value);

    /// <summary>The value in whole units, a fraction rounded away from zero (resource.Quantity.Value).</summary>
    public decimal WholeValue => RoundAwayFromZero(Value);

    /// <summary>The value in thousandths, a fraction rounded away from zero (resource.Quantity.MilliValue).</summary>
    public decimal MilliValue => RoundAwayFromZero(Value * 1000);

    private static decimal RoundAwayFromZero(decimal value) => value < 0 ? decimal.Floor(value) : decimal.Ceiling(value);

    /// <summary>The canonical form the real server prints (1000m → 1, 1024Mi → 1Gi, 0.5 → 500m).</summary>
    public override string ToString()
    {
        // Values below nano precision round up, as the real canonicalization does.
        var value = decimal.Ceiling(Value * 1_000_000_000m) / 1_000_000_000m;
        if (value == 0)
        {
            return "0";
        }

        if (Format == QuantityFormat.BinarySI && value == decimal.Truncate(value) && Math.Abs(value) >= 1024)
        {
            for (var i = BinarySuffixes.Length - 1; i >= 0; i--)
            {
                var (suffix, factor) = BinarySuffixes[i];
                if (value % factor == 0)
                {
                    return (value / factor).ToString("0", CultureInfo.InvariantCulture) + suffix;
                }
            }
        }

        if (Format == QuantityFormat.BinarySI && value == decimal.Truncate(value))
        {
            return value.ToString("0", CultureInfo.InvariantCulture);
        }

        for (var i = DecimalSuffixes.Length - 1; i >= 0; i--)
        {
            var (suffix, factor) = DecimalSuffixes[i];
            var scaled = value / factor;
            if (scaled == decimal.Truncate(scaled))
            {
                if (Format == QuantityFormat.DecimalExponent)
                {
                    var exponent = (i - 3) * 3;
                    return scaled.ToString("0", CultureInfo.InvariantCulture) + (exponent == 0 ? "" : "e" + exponent.ToString(CultureInfo.InvariantCulture));
                }

                return scaled.ToString("0", CultureInfo.InvariantCulture) + suffix;
            }
        }

        return value.ToString(CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)\\z")]
    private static partial Regex QuantityRegex();
}

internal enum QuantityFormat
{
    DecimalSI,
    BinarySI,
    DecimalExponent,
}
