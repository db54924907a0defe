namespace NetworkOperator.Rendering.Common;

/// <summary>FNV-1a: tiny, fast and fully specified, so the values are identical on every machine and runtime.</summary>
public static class Fnv1a
{
    private const uint Offset32 = 2166136261;
    private const uint Prime32 = 16777619;
    private const ulong Offset64 = 14695981039346656037;
    private const ulong Prime64 = 1099511628211;

    public static uint Hash32(ReadOnlySpan<byte> data)
    {
        var hash = Offset32;
        foreach (var b in data)
        {
            hash ^= b;
            hash *= Prime32;
        }

        return hash;
    }

    public static ulong Hash64(ReadOnlySpan<byte> data)
    {
        var hash = Offset64;
        foreach (var b in data)
        {
            hash ^= b;
            hash *= Prime64;
        }

        return hash;
    }
}
