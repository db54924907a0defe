namespace NetworkOperator.Simulator.Validation.Kinds;

/// <summary>Sizes of base64 fields ([]byte on the real server, which counts decoded bytes).</summary>
internal static class Base64
{
    public static long DecodedLength(string text)
    {
        var padding = text.EndsWith("==", StringComparison.Ordinal) ? 2 : text.EndsWith('=') ? 1 : 0;
        return Math.Max(0, (long)text.Length * 3 / 4 - padding);
    }
}
