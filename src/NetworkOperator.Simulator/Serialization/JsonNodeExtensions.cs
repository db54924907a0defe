using System.Text.Json;
using System.Text.Json.Nodes;

namespace NetworkOperator.Simulator.Serialization;

/// <summary>Small tolerant accessors for JSON trees whose shape clients control.</summary>
public static class JsonNodeExtensions
{
    public static string? GetString(this JsonObject obj, string property) =>
        obj[property] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    public static JsonObject? GetObject(this JsonObject obj, string property) => obj[property] as JsonObject;

    public static JsonObject Metadata(this JsonObject obj)
    {
        if (obj["metadata"] is JsonObject metadata)
        {
            return metadata;
        }

        metadata = new JsonObject();
        obj["metadata"] = metadata;
        return metadata;
    }

    /// <summary>The node at a dotted path such as "spec.selector", or null where the path breaks off.</summary>
    public static JsonNode? GetPath(this JsonObject obj, string dottedPath)
    {
        JsonNode? node = obj;
        foreach (var part in dottedPath.Split('.'))
        {
            node = (node as JsonObject)?[part];
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>Reads a dotted path such as "spec.nodeName" as text; numbers and booleans become their JSON text.</summary>
    public static string? GetPathText(this JsonObject obj, string dottedPath) =>
        obj.GetPath(dottedPath) switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            JsonValue v => v.ToJsonString(),
            _ => null,
        };

    /// <summary>Reads an integer whatever CLR type backs the node (a JsonValue made from int throws on GetValue&lt;long&gt;).</summary>
    public static long? GetInt64(this JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        if (value.TryGetValue<long>(out var l))
        {
            return l;
        }

        if (value.TryGetValue<int>(out var i))
        {
            return i;
        }

        if (value.TryGetValue<JsonElement>(out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var el))
        {
            return el;
        }

        if (value.TryGetValue<double>(out var d) && Math.Abs(d % 1) < double.Epsilon)
        {
            return (long)d;
        }

        return null;
    }

    public static bool? GetBool(this JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<bool>(out var b) ? b : null;

    public static IReadOnlyDictionary<string, string> GetStringMap(this JsonObject? obj)
    {
        if (obj is null || obj.Count == 0)
        {
            return EmptyMap;
        }

        var map = new Dictionary<string, string>(obj.Count, StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            map[key] = value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : value?.ToJsonString() ?? "";
        }

        return map;
    }

    private static readonly IReadOnlyDictionary<string, string> EmptyMap = new Dictionary<string, string>();
}
