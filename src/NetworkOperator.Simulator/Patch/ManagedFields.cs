using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Schema;
using NetworkOperator.Simulator.Serialization;

namespace NetworkOperator.Simulator.Patch;

/// <summary>
/// Field ownership of server-side apply in metadata.managedFields (FieldsV1). A field set is a set of paths whose
/// elements are FieldsV1 keys: "f:name" for object fields, "k:{...}" for list items with a merge key, "v:..." for
/// items of set-like primitive lists. Key-less lists are owned as a whole.
/// </summary>
internal static class ManagedFields
{
    private const char Separator = '\n';

    /// <summary>The paths an applied configuration sets (identity fields excluded).</summary>
    public static HashSet<string> FieldsOf(JsonObject applied, ResourceType type)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in applied)
        {
            if (key is "apiVersion" or "kind")
            {
                continue;
            }

            if (key == "metadata" && value is JsonObject metadata)
            {
                foreach (var (metaKey, metaValue) in metadata)
                {
                    if (metaKey is "labels" or "annotations" or "finalizers" or "ownerReferences")
                    {
                        Walk(paths, "f:metadata", metaKey, metaValue, "metadata", type);
                    }
                }

                continue;
            }

            Walk(paths, "", key, value, "", type);
        }

        return paths;
    }

    private static void Walk(HashSet<string> paths, string prefix, string key, JsonNode? value, string parentField, ResourceType type)
    {
        var path = Join(prefix, "f:" + key);
        paths.Add(path);
        switch (value)
        {
            case JsonObject obj:
                foreach (var (childKey, childValue) in obj)
                {
                    Walk(paths, path, childKey, childValue, key, type);
                }

                break;
            case JsonArray array:
                {
                    var mergeKey = type.IsCustom ? null : StrategicMergePatch.MergeKeyOf(key, parentField);
                    if (mergeKey is not null)
                    {
                        foreach (var item in array.OfType<JsonObject>())
                        {
                            if (item[mergeKey] is not { } keyValue)
                            {
                                continue;
                            }

                            var itemPath = Join(path, "k:" + new JsonObject { [mergeKey] = keyValue.DeepClone() }.ToJsonString());
                            paths.Add(itemPath);
                            foreach (var (childKey, childValue) in item)
                            {
                                Walk(paths, itemPath, childKey, childValue, key, type);
                            }
                        }
                    }
                    else if (key == "finalizers")
                    {
                        foreach (var item in array)
                        {
                            paths.Add(Join(path, "v:" + (item?.ToJsonString() ?? "null")));
                        }
                    }

                    break;
                }
        }
    }

    /// <summary>Every manager's field set from metadata.managedFields, keyed by (manager, operation).</summary>
    public static Dictionary<(string Manager, string Operation), HashSet<string>> Read(JsonObject obj)
    {
        var result = new Dictionary<(string, string), HashSet<string>>();
        foreach (var entry in (obj.Metadata()["managedFields"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var set = new HashSet<string>(StringComparer.Ordinal);
            if (entry["fieldsV1"] is JsonObject fields)
            {
                Flatten(fields, "", set);
            }

            result[(entry.GetString("manager") ?? "", entry.GetString("operation") ?? "")] = set;
        }

        return result;
    }

    /// <summary>Replaces (or adds) one manager's Apply entry.</summary>
    public static void WriteApplyEntry(JsonObject obj, string manager, string apiVersion, HashSet<string> fields, string time)
    {
        var metadata = obj.Metadata();
        var entries = (metadata["managedFields"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(e => !(e.GetString("manager") == manager && e.GetString("operation") == "Apply"))
            .Select(e => (JsonNode)e.DeepClone())
            .ToList();
        entries.Add(new JsonObject
        {
            ["manager"] = manager,
            ["operation"] = "Apply",
            ["apiVersion"] = apiVersion,
            ["time"] = time,
            ["fieldsType"] = "FieldsV1",
            ["fieldsV1"] = Nest(fields),
        });
        metadata["managedFields"] = new JsonArray(entries.ToArray());
    }

    /// <summary>Removes one path from an object; missing paths are ignored.</summary>
    public static void Remove(JsonObject obj, string path)
    {
        var elements = path.Split(Separator);
        JsonNode? current = obj;
        for (var i = 0; i < elements.Length; i++)
        {
            var last = i == elements.Length - 1;
            var element = elements[i];
            switch (current)
            {
                case JsonObject o when element.StartsWith("f:", StringComparison.Ordinal):
                    if (last)
                    {
                        o.Remove(element[2..]);
                        return;
                    }

                    current = o[element[2..]];
                    break;
                case JsonArray a when element.StartsWith("k:", StringComparison.Ordinal):
                    {
                        var key = JsonNode.Parse(element[2..]) as JsonObject ?? new JsonObject();
                        var index = -1;
                        for (var j = 0; j < a.Count; j++)
                        {
                            if (a[j] is JsonObject item && key.All(kv => JsonNode.DeepEquals(item[kv.Key], kv.Value)))
                            {
                                index = j;
                                break;
                            }
                        }

                        if (index < 0)
                        {
                            return;
                        }

                        if (last)
                        {
                            a.RemoveAt(index);
                            return;
                        }

                        current = a[index];
                        break;
                    }

                case JsonArray a when element.StartsWith("v:", StringComparison.Ordinal):
                    {
                        var value = JsonNode.Parse(element[2..]);
                        for (var j = 0; j < a.Count; j++)
                        {
                            if (JsonNode.DeepEquals(a[j], value))
                            {
                                a.RemoveAt(j);
                                return;
                            }
                        }

                        return;
                    }

                default:
                    return;
            }
        }
    }

    private static JsonObject Nest(HashSet<string> fields)
    {
        var root = new JsonObject();
        foreach (var path in fields.OrderBy(p => p, StringComparer.Ordinal))
        {
            var node = root;
            var elements = path.Split(Separator);
            foreach (var element in elements)
            {
                if (node[element] is not JsonObject child)
                {
                    child = new JsonObject();
                    node[element] = child;
                }

                if (element.StartsWith("k:", StringComparison.Ordinal) && !child.ContainsKey("."))
                {
                    child["."] = new JsonObject();
                }

                node = child;
            }
        }

        return root;
    }

    private static void Flatten(JsonObject node, string prefix, HashSet<string> into)
    {
        foreach (var (key, child) in node)
        {
            if (key == ".")
            {
                continue;
            }

            var path = Join(prefix, key);
            into.Add(path);
            if (child is JsonObject o)
            {
                Flatten(o, path, into);
            }
        }
    }

    private static string Join(string prefix, string element) => prefix.Length == 0 ? element : prefix + Separator + element;
}
