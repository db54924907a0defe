using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Serialization;

namespace NetworkOperator.Simulator.Admission.Quota;

/// <summary>
/// A pod's effective requests or limits as the real server's resource helpers add them up: regular containers and
/// restartable (sidecar) init containers summed, the largest init container step if that is more.
/// </summary>
internal static class PodResourceTotals
{
    /// <param name="spec">The pod spec.</param>
    /// <param name="kind"><c>requests</c> or <c>limits</c>.</param>
    /// <param name="withOverhead">Quota charges the pod overhead; LimitRanger does not.</param>
    public static ResourceList Of(JsonObject? spec, string kind, bool withOverhead)
    {
        var total = new ResourceList();
        foreach (var container in Containers(spec, "containers"))
        {
            total.Add(Own(container, kind));
        }

        var sidecars = new ResourceList();
        var initSteps = new ResourceList();
        foreach (var container in Containers(spec, "initContainers"))
        {
            var own = Own(container, kind);
            var step = new ResourceList();
            if (container.GetString("restartPolicy") == "Always")
            {
                total.Add(own);
                sidecars.Add(own);
                step.Add(sidecars);
            }
            else
            {
                step.Add(own);
                step.Add(sidecars);
            }

            initSteps.Max(step);
        }

        total.Max(initSteps);
        if (withOverhead)
        {
            total.Add(ResourceList.From(spec?["overhead"] as JsonObject));
        }

        return total;
    }

    private static ResourceList Own(JsonObject container, string kind) => ResourceList.From((container["resources"] as JsonObject)?[kind] as JsonObject);

    public static IEnumerable<JsonObject> Containers(JsonObject? spec, string list) => (spec?[list] as JsonArray ?? []).OfType<JsonObject>();
}
