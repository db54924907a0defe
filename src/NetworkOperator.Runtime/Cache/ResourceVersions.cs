using System.Globalization;

namespace NetworkOperator.Runtime.Cache;

/// <summary>
/// Orders resourceVersions of one object. They are opaque to clients in general, but every API server (etcd's revision)
/// and the simulator hand out increasing integers; versions that are not integers are treated as unordered.
/// </summary>
public static class ResourceVersions
{
    /// <summary>True when both versions are integers and <paramref name="candidate"/> is lower than <paramref name="current"/>.</summary>
    public static bool IsOlder(string? candidate, string? current) =>
        TryParse(candidate, out var c) && TryParse(current, out var k) && c < k;

    /// <summary>True when both versions are integers and <paramref name="candidate"/> is not higher than <paramref name="current"/>.</summary>
    public static bool IsNotNewer(string? candidate, string? current) =>
        TryParse(candidate, out var c) && TryParse(current, out var k) && c <= k;

    private static bool TryParse(string? version, out ulong value) =>
        ulong.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
