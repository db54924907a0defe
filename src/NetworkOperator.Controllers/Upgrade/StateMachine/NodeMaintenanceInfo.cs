using System.Text.Json.Nodes;

namespace NetworkOperator.Controllers.Upgrade;

/// <summary>
/// What the upgrade needs to know of a <c>maintenance.nvidia.com/v1alpha1 NodeMaintenance</c>: whose it is, which
/// node, and whether the maintenance operator reports it Ready (condition <c>Ready</c> with reason <c>Ready</c>: the
/// node is cordoned and drained).
/// </summary>
public sealed record NodeMaintenanceInfo(string Namespace, string Name, string NodeName, string RequestorId,
    IReadOnlyList<string> AdditionalRequestors, bool Ready, bool Deleting, string? ResourceVersion)
{
    public const string Group = "maintenance.nvidia.com";
    public const string Version = "v1alpha1";
    public const string Plural = "nodemaintenances";
    public const string Kind = "NodeMaintenance";

    public bool IsRequestedBy(string requestorId) => RequestorId == requestorId || AdditionalRequestors.Contains(requestorId);

    public static NodeMaintenanceInfo FromJson(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var metadata = obj["metadata"] as JsonObject;
        var spec = obj["spec"] as JsonObject;
        var ready = (obj["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().Any(c =>
            Text(c["type"]) == "Ready" && Text(c["status"]) == "True" && Text(c["reason"]) == "Ready");
        return new NodeMaintenanceInfo(
            Text(metadata?["namespace"]) ?? string.Empty,
            Text(metadata?["name"]) ?? string.Empty,
            Text(spec?["nodeName"]) ?? string.Empty,
            Text(spec?["requestorID"]) ?? string.Empty,
            [.. (spec?["additionalRequestors"] as JsonArray ?? []).Select(Text).OfType<string>()],
            ready,
            metadata?["deletionTimestamp"] is not null,
            Text(metadata?["resourceVersion"]));
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
