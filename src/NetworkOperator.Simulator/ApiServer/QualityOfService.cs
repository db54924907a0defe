using System.Text.Json.Nodes;

namespace NetworkOperator.Simulator.ApiServer;

/// <summary>The pod QoS class the real server writes into status on create.</summary>
internal static class QualityOfService
{
    public static string Of(JsonObject pod)
    {
        var containers = ((pod["spec"] as JsonObject)?["containers"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var anyRequestOrLimit = false;
        var allGuaranteed = containers.Count > 0;
        foreach (var container in containers)
        {
            var resources = container["resources"] as JsonObject;
            var requests = resources?["requests"] as JsonObject;
            var limits = resources?["limits"] as JsonObject;
            if (requests is { Count: > 0 } || limits is { Count: > 0 })
            {
                anyRequestOrLimit = true;
            }

            foreach (var resource in new[] { "cpu", "memory" })
            {
                var limit = limits?[resource]?.ToString();
                var request = requests?[resource]?.ToString() ?? limit;
                if (limit is null || request != limit)
                {
                    allGuaranteed = false;
                }
            }
        }

        return allGuaranteed ? "Guaranteed" : anyRequestOrLimit ? "Burstable" : "BestEffort";
    }
}
