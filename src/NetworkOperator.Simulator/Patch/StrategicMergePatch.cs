using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Errors;

namespace NetworkOperator.Simulator.Patch;

/// <summary>
/// Strategic merge patch for built-in kinds: JSON merge patch, except that lists with a merge key (containers, env,
/// volumes by name; volumeMounts by mountPath; container ports by containerPort; conditions by type; ...) merge
/// element by element, a few primitive lists (finalizers) merge as sets, and the directives $patch (replace, delete,
/// merge), $retainKeys, $setElementOrder/field and $deleteFromPrimitiveList/field are honoured. Lists without a
/// merge key (tolerations, args, command) are replaced, as their Go types declare.
/// </summary>
public static class StrategicMergePatch
{
    private const string PatchDirective = "$patch";
    private const string RetainKeys = "$retainKeys";
    private const string SetElementOrderPrefix = "$setElementOrder/";
    private const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/";

    private static readonly HashSet<string> MergedPrimitiveLists = new(StringComparer.Ordinal) { "finalizers" };

    public static JsonNode? Apply(JsonNode? target, JsonNode? patch) => MergeValue(target?.DeepClone(), patch, "", "");

    /// <summary>The merge key of a list field, or null when the list is replaced as a whole.</summary>
    public static string? MergeKeyOf(string field, string parentField) => field switch
    {
        "containers" or "initContainers" or "ephemeralContainers" or "env" or "volumes" or "imagePullSecrets" or "resourceClaims"
            or "webhooks" or "schedulingGates" => "name",
        "volumeMounts" => "mountPath",
        "volumeDevices" => "devicePath",
        "ports" => parentField is "containers" or "initContainers" or "ephemeralContainers" ? "containerPort" : "port",
        "conditions" => "type",
        "ownerReferences" => "uid",
        "hostAliases" => "ip",
        "topologySpreadConstraints" => "topologyKey",
        "addresses" when parentField == "status" => "type",
        _ => null,
    };

    private static JsonNode? MergeValue(JsonNode? original, JsonNode? patch, string field, string parentField)
    {
        return patch switch
        {
            JsonObject patchObject => MergeObject(original as JsonObject, patchObject, field),
            JsonArray => StripDirectives(patch.DeepClone()),
            _ => patch?.DeepClone(),
        };
    }

    private static JsonObject? MergeObject(JsonObject? original, JsonObject patch, string field)
    {
        if (patch[PatchDirective] is JsonValue directive)
        {
            switch (directive.ToString())
            {
                case "replace":
                    return (JsonObject)StripDirectives(patch.DeepClone())!;
                case "delete":
                    return null;
                case "merge":
                    break;
                default:
                    throw ApiErrors.BadRequest($"unknown patch type: {directive}");
            }
        }

        var result = original ?? new JsonObject();
        foreach (var (key, value) in patch.ToList())
        {
            if (key is PatchDirective or RetainKeys || key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal)
                || key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (value is null)
            {
                result.Remove(key);
                continue;
            }

            if (value is JsonArray patchList)
            {
                var merged = MergeList(result[key] as JsonArray, patchList, key, field);
                result[key] = merged;
                continue;
            }

            if (value is JsonObject childPatch)
            {
                var merged = MergeObject(result[key] as JsonObject, childPatch, key);
                if (merged is null)
                {
                    result.Remove(key);
                }
                else
                {
                    result[key] = merged.Parent is null ? merged : merged.DeepClone();
                }

                continue;
            }

            result[key] = value.DeepClone();
        }

        foreach (var (key, value) in patch)
        {
            if (key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal) && value is JsonArray toDelete)
            {
                var listName = key[DeleteFromPrimitiveListPrefix.Length..];
                if (result[listName] is JsonArray list)
                {
                    var remove = toDelete.Select(v => v?.ToJsonString()).ToHashSet(StringComparer.Ordinal);
                    result[listName] = new JsonArray(list.Where(v => !remove.Contains(v?.ToJsonString())).Select(v => v?.DeepClone()).ToArray());
                }
            }
        }

        foreach (var (key, value) in patch)
        {
            if (key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal) && value is JsonArray order)
            {
                var listName = key[SetElementOrderPrefix.Length..];
                if (result[listName] is JsonArray list)
                {
                    result[listName] = Reorder(list, order, MergeKeyOf(listName, field));
                }
            }
        }

        if (patch[RetainKeys] is JsonArray retain)
        {
            var keep = retain.Select(k => k?.ToString() ?? "").ToHashSet(StringComparer.Ordinal);
            foreach (var key in result.Select(kv => kv.Key).ToList())
            {
                if (!keep.Contains(key))
                {
                    result.Remove(key);
                }
            }
        }

        return result;
    }

    private static JsonArray MergeList(JsonArray? original, JsonArray patch, string field, string parentField)
    {
        // A {"$patch": "replace"} element replaces the whole list with the other elements.
        if (patch.Any(e => e is JsonObject o && o[PatchDirective]?.ToString() == "replace"))
        {
            return new JsonArray(patch.Where(e => !(e is JsonObject o && o[PatchDirective] is not null)).Select(e => StripDirectives(e?.DeepClone())).ToArray());
        }

        var mergeKey = MergeKeyOf(field, parentField);
        if (mergeKey is null)
        {
            if (MergedPrimitiveLists.Contains(field) && original is not null)
            {
                var result = new JsonArray(original.Select(e => e?.DeepClone()).ToArray());
                var present = original.Select(e => e?.ToJsonString()).ToHashSet(StringComparer.Ordinal);
                foreach (var element in patch)
                {
                    if (present.Add(element?.ToJsonString()))
                    {
                        result.Add(element?.DeepClone());
                    }
                }

                return result;
            }

            return (JsonArray)StripDirectives(patch.DeepClone())!;
        }

        var merged = new JsonArray((original ?? []).Select(e => e?.DeepClone()).ToArray());
        foreach (var element in patch)
        {
            if (element is not JsonObject patchElement)
            {
                merged.Add(element?.DeepClone());
                continue;
            }

            var keyValue = patchElement[mergeKey]?.ToJsonString();
            var index = keyValue is null ? -1 : IndexOf(merged, mergeKey, keyValue);
            if (patchElement[PatchDirective]?.ToString() == "delete")
            {
                if (index >= 0)
                {
                    merged.RemoveAt(index);
                }

                continue;
            }

            if (index >= 0)
            {
                var current = merged[index] as JsonObject;
                merged.RemoveAt(index);
                var updated = MergeObject(current, patchElement, field);
                merged.Insert(index, updated);
            }
            else
            {
                merged.Add(StripDirectives(patchElement.DeepClone()));
            }
        }

        return merged;
    }

    private static JsonArray Reorder(JsonArray list, JsonArray order, string? mergeKey)
    {
        var remaining = list.Select(e => e?.DeepClone()).ToList();
        var ordered = new List<JsonNode?>();
        foreach (var wanted in order)
        {
            var index = remaining.FindIndex(e => mergeKey is not null && wanted is JsonObject w
                ? (e as JsonObject)?[mergeKey]?.ToJsonString() == w[mergeKey]?.ToJsonString()
                : e?.ToJsonString() == wanted?.ToJsonString());
            if (index >= 0)
            {
                ordered.Add(remaining[index]);
                remaining.RemoveAt(index);
            }
        }

        ordered.AddRange(remaining);
        return new JsonArray(ordered.ToArray());
    }

    private static int IndexOf(JsonArray list, string mergeKey, string keyValue)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if ((list[i] as JsonObject)?[mergeKey]?.ToJsonString() == keyValue)
            {
                return i;
            }
        }

        return -1;
    }

    private static JsonNode? StripDirectives(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(kv => kv.Key).ToList())
                {
                    if (key.StartsWith('$'))
                    {
                        obj.Remove(key);
                    }
                    else
                    {
                        StripDirectives(obj[key]);
                    }
                }

                return obj;
            case JsonArray array:
                foreach (var element in array)
                {
                    StripDirectives(element);
                }

                return array;
            default:
                return node;
        }
    }
}
