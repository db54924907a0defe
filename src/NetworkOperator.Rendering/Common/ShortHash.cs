using System.Globalization;
using System.Text;

namespace NetworkOperator.Rendering.Common;

/// <summary>
/// The short deterministic hash upstream uses inside DaemonSet names (kernel strings, NicNodePolicy names).
/// Reproduced exactly because the names it produces are part of the drop-in contract: an existing cluster's
/// driver DaemonSets must keep their names when this operator takes over.
/// </summary>
public static class ShortHash
{
    // Digits are mapped through this alphabet so the result never looks like a number and avoids vowels.
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string Compute(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var hash = Fnv1a.Hash32(Encoding.UTF8.GetBytes(input));
        var digits = hash.ToString(CultureInfo.InvariantCulture);
        var builder = new StringBuilder(digits.Length);
        foreach (var c in digits)
        {
            builder.Append(Alphabet[c % Alphabet.Length]);
        }

        return builder.ToString();
    }
}
