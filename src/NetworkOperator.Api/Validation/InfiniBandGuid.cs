using System.Globalization;
using System.Text.RegularExpressions;

namespace NetworkOperator.Api.Validation;

/// <summary>InfiniBand GUIDs as ib-kubernetes takes them: 8 colon-separated hex bytes.</summary>
public static partial class InfiniBandGuid
{
    [GeneratedRegex("^([0-9A-Fa-f]{2}:){7}([0-9A-Fa-f]{2})\\z")]
    private static partial Regex Pattern();

    public static bool TryParse(string? text, out ulong value)
    {
        value = 0;
        return text is not null && Pattern().IsMatch(text)
            && ulong.TryParse(text.Replace(":", string.Empty, StringComparison.Ordinal), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out value);
    }
}
