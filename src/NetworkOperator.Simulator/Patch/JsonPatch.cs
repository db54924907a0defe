using System.Globalization;
using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Errors;

namespace NetworkOperator.Simulator.Patch;

/// <summary>RFC 6902 JSON patch (add, remove, replace, move, copy, test) over RFC 6901 pointers.</summary>
public static class JsonPatch
{
    public static JsonNode Apply(JsonNode document, JsonNode? patch)
    {
        if (patch is not JsonArray operations)
        {
            throw ApiErrors.BadRequest("json patch must be an array of operations");
        }

        var root = new JsonObject { ["doc"] = document.Parent is null ? document : document.DeepClone() };
        foreach (var operation in operations)
        {
            if (operation is not JsonObject op)
            {
                throw ApiErrors.BadRequest("json patch operation must be an object");
            }

            var kind = (op["op"] as JsonValue)?.ToString() ?? throw ApiErrors.BadRequest("json patch operation has no 'op'");
            var path = (op["path"] as JsonValue)?.ToString() ?? throw ApiErrors.BadRequest($"json patch '{kind}' has no 'path'");
            switch (kind)
            {
                case "add":
                    Add(root, path, Value(op));
                    break;
                case "remove":
                    Remove(root, path);
                    break;
                case "replace":
                    Remove(root, path);
                    Add(root, path, Value(op));
                    break;
                case "move":
                    {
                        var from = From(op);
                        var value = Get(root, from)!.DeepClone();
                        Remove(root, from);
                        Add(root, path, value);
                        break;
                    }

                case "copy":
                    Add(root, path, Get(root, From(op))?.DeepClone());
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Get(root, path), Value(op)))
                    {
                        throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: testing value at {path} failed");
                    }

                    break;
                default:
                    throw ApiErrors.BadRequest($"Unexpected kind: {kind}");
            }
        }

        return root["doc"]!.DeepClone();
    }

    private static JsonNode? Value(JsonObject op)
    {
        if (!op.ContainsKey("value"))
        {
            throw ApiErrors.BadRequest($"json patch '{op["op"]}' operation does not contain a value");
        }

        return op["value"]?.DeepClone();
    }

    private static string From(JsonObject op) =>
        (op["from"] as JsonValue)?.ToString() ?? throw ApiErrors.BadRequest("json patch operation has no 'from'");

    private static List<string> Tokens(string path)
    {
        if (path.Length == 0)
        {
            return [];
        }

        if (path[0] != '/')
        {
            throw ApiErrors.BadRequest($"invalid json pointer: {path}");
        }

        return path[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
    }

    private static (JsonNode Parent, string Last) Parent(JsonObject root, string path)
    {
        var tokens = Tokens(path);
        tokens.Insert(0, "doc");
        JsonNode current = root;
        for (var i = 0; i < tokens.Count - 1; i++)
        {
            current = Child(current, tokens[i]) ?? throw Missing(path);
        }

        return (current, tokens[^1]);
    }

    private static JsonNode? Child(JsonNode node, string token) => node switch
    {
        JsonObject obj => obj.TryGetPropertyValue(token, out var v) ? v : null,
        JsonArray arr when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < arr.Count => arr[i],
        _ => null,
    };

    private static JsonNode? Get(JsonObject root, string path)
    {
        var (parent, last) = Parent(root, path);
        if (parent is JsonObject obj && !obj.ContainsKey(last))
        {
            throw Missing(path);
        }

        return Child(parent, last);
    }

    private static void Add(JsonObject root, string path, JsonNode? value)
    {
        var (parent, last) = Parent(root, path);
        switch (parent)
        {
            case JsonObject obj:
                obj[last] = value;
                break;
            case JsonArray arr when last == "-":
                arr.Add(value);
                break;
            case JsonArray arr when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i <= arr.Count:
                arr.Insert(i, value);
                break;
            default:
                throw Missing(path);
        }
    }

    private static void Remove(JsonObject root, string path)
    {
        var (parent, last) = Parent(root, path);
        switch (parent)
        {
            case JsonObject obj when obj.ContainsKey(last):
                obj.Remove(last);
                break;
            case JsonArray arr when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < arr.Count:
                arr.RemoveAt(i);
                break;
            default:
                throw Missing(path);
        }
    }

    private static ApiException Missing(string path) =>
        new(422, "Invalid", $"the server rejected our request due to an error in our request: doc is missing path: \"{path}\"");
}
