using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Serialization;
using NetworkOperator.Simulator.Storage;

namespace NetworkOperator.Simulator.ApiServer;

/// <summary>
/// The pods/binding subresource, the only way a pod gets its node after creation (a pod update may not change
/// spec.nodeName): what kube-scheduler posts, and what the simulated scheduler uses. As the registry's BindingREST: the
/// Binding is checked, then the pod gets the node, the Binding's annotations and PodScheduled=True, unless it is being
/// deleted, already bound or still gated (409 on pods/binding).
/// </summary>
internal static class PodBinding
{
    public static async Task<StoredObject> BindAsync(ResourceService service, string ns, string name, JsonObject binding,
        WriteOptions options, CancellationToken cancellationToken)
    {
        var metadata = binding["metadata"] as JsonObject ?? [];
        if ((metadata.GetString("name") ?? "") != name)
        {
            throw ApiErrors.BadRequest("name in URL does not match name in Binding object");
        }

        // ValidatePodBinding's errors reach the client as an aggregate, not a status: the server answers 500.
        var target = binding["target"] as JsonObject ?? [];
        var problems = new List<string>();
        if (target.GetString("kind") is { Length: > 0 } kind && kind != "Node")
        {
            problems.Add($"target.kind: Unsupported value: {Validation.GoValue.Quote(kind)}: supported values: \"Node\", \"<empty>\"");
        }

        var node = target.GetString("name") ?? "";
        if (node.Length == 0)
        {
            problems.Add("target.name: Required value");
        }

        if (problems.Count > 0)
        {
            throw new ApiException(500, "", problems.Count == 1 ? problems[0] : "[" + string.Join(", ", problems) + "]");
        }

        var pods = service.Registry.Find("", "v1", "pods")!;
        var now = Timestamp.Format(service.Time.GetUtcNow());
        return await service.GuaranteedUpdateAsync(pods, ns, name, 0, "binding", options, (pod, _) =>
        {
            var problem = pod.Metadata()["deletionTimestamp"] is not null ? $"pod {name} is being deleted, cannot be assigned to a host"
                : pod["spec"]?["nodeName"]?.ToString() is { Length: > 0 } bound ? $"pod {name} is already assigned to node \"{bound}\""
                : pod["spec"]?["schedulingGates"] is JsonArray { Count: > 0 } ? $"pod {name} has non-empty .spec.schedulingGates"
                : null;
            if (problem is not null)
            {
                throw new ApiException(409, "Conflict", $"Operation cannot be fulfilled on pods/binding \"{name}\": {problem}", name, "", "pods/binding");
            }

            pod["spec"]!["nodeName"] = node;
            if (metadata["annotations"] is JsonObject annotations && annotations.Count > 0)
            {
                var existing = pod.Metadata()["annotations"] as JsonObject ?? [];
                pod.Metadata()["annotations"] = existing;
                foreach (var (key, value) in annotations)
                {
                    existing[key] = value?.DeepClone();
                }
            }

            SetScheduled(pod, now);
            return pod;
        }, cancellationToken);
    }

    // podutil.UpdatePodCondition: PodScheduled=True; the transition time moves only when the status changes.
    private static void SetScheduled(JsonObject pod, string now)
    {
        var status = pod["status"] as JsonObject ?? [];
        pod["status"] = status;
        var conditions = status["conditions"] as JsonArray ?? [];
        status["conditions"] = conditions;
        var existing = conditions.OfType<JsonObject>().FirstOrDefault(c => c.GetString("type") == "PodScheduled");
        var scheduled = new JsonObject
        {
            ["type"] = "PodScheduled",
            ["status"] = "True",
            ["lastProbeTime"] = null,
            ["lastTransitionTime"] = existing?.GetString("status") == "True" ? existing["lastTransitionTime"]?.DeepClone() : now,
        };
        if (existing is null)
        {
            conditions.Add(scheduled);
        }
        else
        {
            conditions[conditions.IndexOf(existing)] = scheduled;
        }
    }
}
