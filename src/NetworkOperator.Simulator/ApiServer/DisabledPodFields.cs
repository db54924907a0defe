using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Schema;

namespace NetworkOperator.Simulator.ApiServer;

/// <summary>
/// The pod fields whose feature gates are off by default in Kubernetes 1.32, which its registry strategies drop on
/// create and update (pods and every pod template) unless the stored object already uses them. A pod asking for its own
/// user namespace, an unmasked /proc, in-place resize, pod-level resources, a supplemental groups or SELinux change
/// policy, resource claims or an image volume is therefore stored without it, as on a default 1.32 cluster, instead of
/// being stored (and shown back) as written.
/// </summary>
internal static class DisabledPodFields
{
    public static void Drop(ResourceType type, JsonObject obj, JsonObject? old)
    {
        if (PodSpecOf(type, obj) is { } spec)
        {
            Drop(spec, old is null ? null : PodSpecOf(type, old));
        }
    }

    /// <summary>The pod spec of a pod or of a workload's pod template, where the kind has one.</summary>
    public static JsonObject? PodSpecOf(ResourceType type, JsonObject obj) => (type.Group, type.Kind) switch
    {
        ("", "Pod") => obj["spec"] as JsonObject,
        ("", "PodTemplate") => (obj["template"] as JsonObject)?["spec"] as JsonObject,
        ("", "ReplicationController") or ("apps", "DaemonSet" or "Deployment" or "ReplicaSet" or "StatefulSet") or ("batch", "Job") =>
            ((obj["spec"] as JsonObject)?["template"] as JsonObject)?["spec"] as JsonObject,
        ("batch", "CronJob") =>
            ((((obj["spec"] as JsonObject)?["jobTemplate"] as JsonObject)?["spec"] as JsonObject)?["template"] as JsonObject)?["spec"] as JsonObject,
        _ => null,
    };

    private static void Drop(JsonObject spec, JsonObject? old)
    {
        // UserNamespacesSupport (beta, off).
        if (old?["hostUsers"] is null)
        {
            spec.Remove("hostUsers");
        }

        // ProcMountType (beta, off): a value is forced to Default rather than removed, as the real strategy does,
        // because 1.12 wrote the field into stored objects.
        if (!Containers(old).Any(c => Context(c)?["procMount"] is { } value && value.GetValueKind() == System.Text.Json.JsonValueKind.String
            && value.GetValue<string>() != "Default"))
        {
            foreach (var context in Containers(spec).Select(Context).OfType<JsonObject>().Where(c => c.ContainsKey("procMount")))
            {
                context["procMount"] = "Default";
            }
        }

        // InPlacePodVerticalScaling (alpha, off).
        if (!Containers(old).Any(c => c["resizePolicy"] is JsonArray { Count: > 0 }))
        {
            foreach (var container in Containers(spec))
            {
                container.Remove("resizePolicy");
            }
        }

        // SupplementalGroupsPolicy and SELinuxChangePolicy (alpha, off).
        foreach (var field in new[] { "supplementalGroupsPolicy", "seLinuxChangePolicy" })
        {
            if ((old?["securityContext"] as JsonObject)?[field] is null)
            {
                (spec["securityContext"] as JsonObject)?.Remove(field);
            }
        }

        // PodLevelResources (alpha, off).
        if (old?["resources"] is null)
        {
            spec.Remove("resources");
        }

        // DynamicResourceAllocation (beta, off): the pod's claims and the containers' references to them.
        if (old?["resourceClaims"] is not JsonArray { Count: > 0 })
        {
            spec.Remove("resourceClaims");
            foreach (var container in Containers(spec))
            {
                (container["resources"] as JsonObject)?.Remove("claims");
            }
        }

        // ImageVolume (alpha, off): image volumes go, and the mounts of them with them.
        if (!Volumes(old).Any(v => v.ContainsKey("image")))
        {
            var dropped = Volumes(spec).Where(v => v.ContainsKey("image")).Select(v => v["name"]?.ToString()).ToHashSet(StringComparer.Ordinal);
            if (dropped.Count > 0)
            {
                RemoveWhere(spec["volumes"] as JsonArray, v => v is JsonObject volume && volume.ContainsKey("image"));
                foreach (var container in Containers(spec))
                {
                    RemoveWhere(container["volumeMounts"] as JsonArray, m => dropped.Contains((m as JsonObject)?["name"]?.ToString()));
                }
            }
        }
    }

    private static readonly string[] ContainerLists = ["containers", "initContainers", "ephemeralContainers"];

    private static IEnumerable<JsonObject> Containers(JsonObject? spec) =>
        ContainerLists.SelectMany(list => (spec?[list] as JsonArray ?? []).OfType<JsonObject>());

    private static IEnumerable<JsonObject> Volumes(JsonObject? spec) => (spec?["volumes"] as JsonArray ?? []).OfType<JsonObject>();

    private static JsonObject? Context(JsonObject container) => container["securityContext"] as JsonObject;

    private static void RemoveWhere(JsonArray? list, Func<JsonNode?, bool> predicate)
    {
        if (list is null)
        {
            return;
        }

        for (var i = list.Count - 1; i >= 0; i--)
        {
            if (predicate(list[i]))
            {
                list.RemoveAt(i);
            }
        }
    }
}
