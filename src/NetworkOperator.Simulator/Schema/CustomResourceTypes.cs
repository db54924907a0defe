using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Serialization;

namespace NetworkOperator.Simulator.Schema;

/// <summary>Turns a CustomResourceDefinition into the resource types it serves, one per served version.</summary>
internal static class CustomResourceTypes
{
    public static IReadOnlyList<ResourceType> FromDefinition(JsonObject crd)
    {
        var spec = crd["spec"] as JsonObject ?? new JsonObject();
        var names = spec["names"] as JsonObject ?? new JsonObject();
        var group = spec.GetString("group") ?? "";
        var plural = names.GetString("plural") ?? "";
        var kind = names.GetString("kind") ?? "";
        var singular = names.GetString("singular") is { Length: > 0 } s ? s : kind.ToLowerInvariant();
        var namespaced = !string.Equals(spec.GetString("scope"), "Cluster", StringComparison.Ordinal);
        var shortNames = (names["shortNames"] as JsonArray)?.Select(n => n?.ToString() ?? "").Where(n => n.Length > 0).ToList() ?? [];
        var categories = (names["categories"] as JsonArray)?.Select(n => n?.ToString() ?? "").Where(n => n.Length > 0).ToList() ?? [];
        var result = new List<ResourceType>();
        foreach (var version in (spec["versions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (version["served"] is JsonValue served && served.TryGetValue<bool>(out var isServed) && !isServed)
            {
                continue;
            }

            var subresources = version["subresources"] as JsonObject;
            var hasStatus = subresources?.ContainsKey("status") == true;
            var scale = subresources?["scale"] is JsonObject scaleSpec
                ? new ScaleSubresource(scaleSpec.GetString("specReplicasPath") ?? "", scaleSpec.GetString("statusReplicasPath") ?? "",
                    scaleSpec.GetString("labelSelectorPath") is { Length: > 0 } selector ? selector : null, ScaleSelectorForm.Text)
                : null;
            var storage = version["storage"] is JsonValue st && st.TryGetValue<bool>(out var isStorage) && isStorage;
            result.Add(new ResourceType
            {
                Group = group,
                Version = version.GetString("name") ?? "v1",
                Kind = kind,
                Plural = plural,
                Singular = singular,
                Namespaced = namespaced,
                ShortNames = shortNames,
                Categories = categories,
                HasStatusSubresource = hasStatus,
                Scale = scale,
                TracksGeneration = true,
                AllowsUnconditionalUpdate = false,
                ReturnsDeletedObject = true,
                IsCustom = true,
                Schema = (version["schema"] as JsonObject)?["openAPIV3Schema"] as JsonObject,
                PrinterColumns = version["additionalPrinterColumns"] as JsonArray,
                IsStorageVersion = storage,
            });
        }

        return result;
    }
}
