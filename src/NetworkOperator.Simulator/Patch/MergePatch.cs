using System.Text.Json.Nodes;

namespace NetworkOperator.Simulator.Patch;

/// <summary>RFC 7386 JSON merge patch: objects merge recursively, null deletes, anything else replaces.</summary>
public static class MergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
                continue;
            }

            var merged = Apply(result[key], value);
            result[key] = merged is null ? null : Detach(merged);
        }

        return result;
    }

    private static JsonNode Detach(JsonNode node) => node.Parent is null ? node : node.DeepClone();
}
