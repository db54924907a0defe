using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace NetworkOperator.Simulator.Cluster.Nodes;

/// <summary>
/// Reads ordinary Node objects as <c>kubectl get nodes -o yaml</c> prints them (a <c>v1 List</c>), as a multi-document
/// YAML stream of Nodes, or as the JSON equivalents, so a real cluster's dump and the <c>render --nodes</c> file both work.
/// </summary>
public static class NodeInventory
{
    public static IReadOnlyList<V1Node> Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NodeInventoryException($"{path}: cannot read the node inventory: {e.Message}", e);
        }

        return Parse(text, path);
    }

    public static IReadOnlyList<V1Node> Parse(string text, string source)
    {
        var documents = ReadDocuments(text, source);
        var nodes = new List<V1Node>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var d = 0; d < documents.Count; d++)
        {
            var where = $"{source}: document {d + 1}";
            if (documents[d] is not JsonObject doc)
            {
                if (documents[d] is null)
                {
                    continue;
                }

                throw new NodeInventoryException($"{where}: expected an object with apiVersion and kind");
            }

            var kind = doc["kind"]?.GetValue<string>();
            if (kind is "List" or "NodeList")
            {
                if (doc["items"] is not JsonArray items)
                {
                    if (doc["items"] is null)
                    {
                        continue;
                    }

                    throw new NodeInventoryException($"{where} ({kind}): field items: expected a list");
                }

                for (var i = 0; i < items.Count; i++)
                {
                    AddNode(nodes, names, items[i], $"{where}", $"items[{i}].");
                }
            }
            else
            {
                AddNode(nodes, names, doc, where, "");
            }
        }

        return nodes;
    }

    private static void AddNode(List<V1Node> nodes, HashSet<string> names, JsonNode? item, string where, string prefix)
    {
        if (item is not JsonObject obj)
        {
            throw new NodeInventoryException($"{where}: field {prefix.TrimEnd('.')}: expected a Node object");
        }

        var kind = obj["kind"]?.ToString();
        var name = obj["metadata"]?["name"]?.ToString();
        var label = name is null ? "Node (unnamed)" : $"Node {name}";
        if (kind is not null && kind != "Node")
        {
            throw new NodeInventoryException($"{where}: field {prefix}kind: expected Node, found {kind}");
        }

        if (string.IsNullOrEmpty(name))
        {
            throw new NodeInventoryException($"{where} ({label}): field {prefix}metadata.name: required");
        }

        if (!names.Add(name))
        {
            throw new NodeInventoryException($"{where} ({label}): field {prefix}metadata.name: duplicate node name {name}");
        }

        ValidateQuantities(obj["status"]?["capacity"], $"{where} ({label}): field {prefix}status.capacity");
        ValidateQuantities(obj["status"]?["allocatable"], $"{where} ({label}): field {prefix}status.allocatable");
        V1Node node;
        try
        {
            node = KubernetesJson.Deserialize<V1Node>(obj.ToJsonString());
        }
        catch (JsonException e)
        {
            var path = e.Path is { Length: > 2 } p ? p[2..] : "";
            throw new NodeInventoryException($"{where} ({label}): field {prefix}{path}: {e.Message}", e);
        }

        node.ApiVersion = "v1";
        node.Kind = "Node";
        nodes.Add(node);
    }

    private static void ValidateQuantities(JsonNode? quantities, string where)
    {
        if (quantities is null)
        {
            return;
        }

        if (quantities is not JsonObject map)
        {
            throw new NodeInventoryException($"{where}: expected a map of resource names to quantities");
        }

        foreach (var (resource, value) in map.ToList())
        {
            var text = value?.ToString() ?? "";
            // Hand-written inventories often say `cpu: 32`; the API accepts numbers for quantities, so do we.
            if (value is JsonValue number && number.GetValueKind() == JsonValueKind.Number)
            {
                map[resource] = text;
            }

            try
            {
                _ = new ResourceQuantity(text).ToDecimal();
            }
            catch (Exception e) when (e is FormatException or ArgumentException or OverflowException or InvalidOperationException)
            {
                throw new NodeInventoryException($"{where}.{resource}: not a quantity: {text}", e);
            }
        }
    }

    private static List<JsonNode?> ReadDocuments(string text, string source)
    {
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
        {
            try
            {
                var node = JsonNode.Parse(text);
                return node is JsonArray array ? [.. array.Select(n => n?.DeepClone())] : [node];
            }
            catch (JsonException e)
            {
                throw new NodeInventoryException($"{source}: invalid JSON at line {e.LineNumber + 1}: {e.Message}", e);
            }
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new NodeInventoryException($"{source}: invalid YAML at line {e.Start.Line}: {e.Message}", e);
        }

        return [.. stream.Documents.Select(d => ToJson(d.RootNode))];
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv =>
            KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? "", ToJson(kv.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(ToJson)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value;
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(value);
        }

        switch (value)
        {
            case null or "" or "~" or "null":
                return null;
            case "true":
                return JsonValue.Create(true);
            case "false":
                return JsonValue.Create(false);
        }

        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return JsonValue.Create(l);
        }

        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !value.Contains('_', StringComparison.Ordinal)
            ? JsonValue.Create(d)
            : JsonValue.Create(value);
    }
}
