using System.Text.Json;
using NetworkOperator.Runtime.Client;

namespace NetworkOperator.Controllers.Policies;

/// <summary>
/// When a rendered object counts as ready. DaemonSet: the upstream rule (desired ≠ 0, desired = available = updated).
/// Deployment: available replicas reach the desired count (upstream calls a Deployment ready as soon as it exists).
/// Both also wait until the workload controller has observed the current generation, so a just-updated object is
/// not reported ready on the previous rollout's numbers. Every other kind is ready once it exists.
/// </summary>
public static class WorkloadReadiness
{
    /// <summary>Null when ready, otherwise a short stable reason.</summary>
    public static string? NotReadyReason(KubeObject live)
    {
        ArgumentNullException.ThrowIfNull(live);
        return live.Kind switch
        {
            "DaemonSet" => DaemonSet(live),
            "Deployment" => Deployment(live),
            _ => null,
        };
    }

    private static string? DaemonSet(KubeObject live)
    {
        var status = live.Field("status");
        if (Stale(live, status))
        {
            return "rollout not observed yet";
        }

        var desired = Number(status, "desiredNumberScheduled");
        var available = Number(status, "numberAvailable");
        var updated = Number(status, "updatedNumberScheduled");
        if (desired == 0)
        {
            return "no node is eligible for its pods" + SelectorHint(live);
        }

        return desired == available && updated == available ? null : "pods not yet available on every node";
    }

    private static string? Deployment(KubeObject live)
    {
        var status = live.Field("status");
        if (Stale(live, status))
        {
            return "rollout not observed yet";
        }

        var spec = live.Field("spec");
        var desired = spec is { } s && s.TryGetProperty("replicas", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetInt64() : 1;
        var available = Number(status, "availableReplicas");
        return available >= desired ? null : "replicas not yet available";
    }

    // Nothing deployed because a label is missing is a classic (the NFD NIC label, mofed.wait): name what is selected on.
    private static string SelectorHint(KubeObject live)
    {
        if (live.Field("spec") is not { ValueKind: JsonValueKind.Object } spec ||
            !spec.TryGetProperty("template", out var template) || !template.TryGetProperty("spec", out var podSpec) ||
            !podSpec.TryGetProperty("nodeSelector", out var selector) || selector.ValueKind != JsonValueKind.Object)
        {
            return string.Empty;
        }

        var pairs = selector.EnumerateObject().Select(p => $"{p.Name}={p.Value.GetString()}").Order(StringComparer.Ordinal).ToList();
        return pairs.Count == 0 ? string.Empty
            : $" (no node has every label of its nodeSelector {string.Join(",", pairs)} and fits its affinity and tolerations)";
    }

    /// <summary>Its controller has not yet observed the current generation: its status counts a previous rollout.</summary>
    public static bool Stale(KubeObject live)
    {
        ArgumentNullException.ThrowIfNull(live);
        return Stale(live, live.Field("status"));
    }

    /// <summary>A DaemonSet with fewer pods scheduled than nodes that should run one, as counted for this generation.</summary>
    public static bool PodsMissing(KubeObject daemonSet)
    {
        ArgumentNullException.ThrowIfNull(daemonSet);
        var status = daemonSet.Field("status");
        return status is { ValueKind: JsonValueKind.Object } && !Stale(daemonSet, status)
            && Number(status, "currentNumberScheduled") < Number(status, "desiredNumberScheduled");
    }

    private static bool Stale(KubeObject live, JsonElement? status)
    {
        var generation = live.Metadata.Generation;
        return generation is not null && status is not null && Number(status, "observedGeneration") < generation;
    }

    private static long Number(JsonElement? obj, string name) =>
        obj is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.GetInt64()
            : 0;
}
