using System.Text.Json.Nodes;

namespace NetworkOperator.Cli.Doctor;

/// <summary>Null-tolerant reads of Kubernetes objects held as JSON.</summary>
internal static class Json
{
    public static string? Str(this JsonNode? node, params string[] path)
    {
        var current = node;
        foreach (var step in path)
        {
            current = current is JsonObject obj ? obj[step] : null;
        }

        return current is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
    }

    public static long Num(this JsonNode? node, params string[] path)
    {
        var current = node;
        foreach (var step in path)
        {
            current = current is JsonObject obj ? obj[step] : null;
        }

        return current is JsonValue value && value.TryGetValue<long>(out var number) ? number : 0;
    }

    public static JsonArray Arr(this JsonNode? node, params string[] path)
    {
        var current = node;
        foreach (var step in path)
        {
            current = current is JsonObject obj ? obj[step] : null;
        }

        return current as JsonArray ?? [];
    }

    public static IReadOnlyDictionary<string, string> Map(this JsonNode? node, params string[] path)
    {
        var current = node;
        foreach (var step in path)
        {
            current = current is JsonObject obj ? obj[step] : null;
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (current is JsonObject values)
        {
            foreach (var (key, value) in values)
            {
                map[key] = value is JsonValue v && v.TryGetValue<string>(out var text) ? text : value?.ToJsonString() ?? string.Empty;
            }
        }

        return map;
    }

    public static string Name(this JsonNode? obj) => obj.Str("metadata", "name") ?? string.Empty;

    public static string? Namespace(this JsonNode? obj) => obj.Str("metadata", "namespace");

    /// <summary>"Kind namespace/name" or "Kind name", as findings name objects.</summary>
    public static string Ref(this JsonNode? obj) =>
        $"{obj.Str("kind")} {(obj.Namespace() is { Length: > 0 } ns ? ns + "/" : string.Empty)}{obj.Name()}";
}
