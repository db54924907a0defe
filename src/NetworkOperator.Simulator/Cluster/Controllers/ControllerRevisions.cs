using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace NetworkOperator.Simulator.Cluster.Controllers;

/// <summary>
/// ControllerRevision bookkeeping for DaemonSets: name <c>&lt;ds&gt;-&lt;hash&gt;</c>, data holding the template as a
/// replace patch, and revision numbers that only grow. Returning to an older template re-uses its revision object and
/// gives it the next number, as a rollback does on a real cluster.
/// </summary>
public static class ControllerRevisions
{
    public const string HashLabel = "controller-revision-hash";

    public static string Name(string ownerName, string hash) => $"{ownerName}-{hash}";

    public static long NextRevision(IEnumerable<V1ControllerRevision> existing)
    {
        long max = 0;
        foreach (var revision in existing)
        {
            max = Math.Max(max, revision.Revision ?? 0);
        }

        return max + 1;
    }

    /// <summary>Which revision the template maps to and the number it must carry after this sync.</summary>
    public static (V1ControllerRevision? Existing, long Revision) Resolve(string hash, IReadOnlyCollection<V1ControllerRevision> existing)
    {
        var match = existing.FirstOrDefault(r => r.Metadata.Labels?.TryGetValue(HashLabel, out var h) == true && h == hash);
        if (match is null)
        {
            return (null, NextRevision(existing));
        }

        var newest = existing.Max(r => r.Revision ?? 0);
        return match.Revision == newest ? (match, newest) : (match, NextRevision(existing));
    }

    public static V1ControllerRevision Build(V1DaemonSet daemonSet, string hash, long revision)
    {
        var template = JsonNode.Parse(KubernetesJson.Serialize(daemonSet.Spec.Template))!.AsObject();
        template["$patch"] = "replace";
        var labels = new Dictionary<string, string>(daemonSet.Spec.Template.Metadata?.Labels ?? new Dictionary<string, string>())
        {
            [HashLabel] = hash,
        };
        return new V1ControllerRevision
        {
            ApiVersion = "apps/v1",
            Kind = "ControllerRevision",
            Metadata = new V1ObjectMeta
            {
                Name = Name(daemonSet.Metadata.Name, hash),
                NamespaceProperty = daemonSet.Metadata.NamespaceProperty,
                Labels = labels,
                OwnerReferences = [OwnerReferences.ControllerOf(daemonSet.ApiVersion ?? "apps/v1", "DaemonSet", daemonSet.Metadata)],
            },
            Data = new JsonObject { ["spec"] = new JsonObject { ["template"] = template } },
            Revision = revision,
        };
    }
}
