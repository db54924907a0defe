using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using NetworkOperator.Simulator.Errors;

namespace NetworkOperator.Simulator.Cluster.Controllers;

/// <summary>
/// The Deployment controller: one ReplicaSet per template (<c>&lt;deployment&gt;-&lt;pod-template-hash&gt;</c>), rolled by
/// RollingUpdate (maxSurge rounded up, maxUnavailable rounded down, 25% each by default) or Recreate, with status
/// replicas/updated/ready/available/unavailable, observedGeneration and the Available and Progressing conditions.
/// </summary>
internal sealed class DeploymentController(ClusterContext context)
    : OwningController<V1Deployment, V1ReplicaSet>(context, Component, context.DeploymentInformer, context.ReplicaSetInformer, "Deployment")
{
    private const string Component = "deployment-controller";
    private const string HashLabel = "pod-template-hash";
    private const string RevisionAnnotation = "deployment.kubernetes.io/revision";

    protected override async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var deployment = Context.DeploymentInformer.Get(key);
        if (deployment is null || deployment.Metadata.DeletionTimestamp is not null)
        {
            return;
        }

        var ns = deployment.Metadata.NamespaceProperty;
        var replicas = deployment.Spec.Replicas ?? 1;
        var hash = ControllerRevisionHash.Compute(deployment.Spec.Template, deployment.Status?.CollisionCount);
        var owned = Children.Of(deployment.Metadata.Uid).Where(r => r.Metadata.DeletionTimestamp is null).ToList();
        var newRs = owned.FirstOrDefault(r => r.Metadata.Labels?.TryGetValue(HashLabel, out var h) == true && h == hash);
        var old = owned.Where(r => r != newRs).OrderBy(r => r.Metadata.CreationTimestamp).ToList();
        var recreate = deployment.Spec.Strategy?.Type == "Recreate";
        var maxSurge = recreate ? 0 : IntOrPercent.Scaled(deployment.Spec.Strategy?.RollingUpdate?.MaxSurge, replicas, roundUp: true, defaultValue: (replicas + 3) / 4);
        var maxUnavailable = recreate ? replicas : IntOrPercent.Scaled(deployment.Spec.Strategy?.RollingUpdate?.MaxUnavailable, replicas, roundUp: false, defaultValue: replicas / 4);
        if (maxSurge == 0 && maxUnavailable == 0)
        {
            maxUnavailable = 1;
        }

        if (newRs is null)
        {
            var initial = recreate ? (old.Sum(r => r.Status?.Replicas ?? 0) == 0 ? replicas : 0) : Math.Min(replicas, Math.Max(0, replicas + maxSurge - old.Sum(r => r.Spec.Replicas ?? 0)));
            var revision = owned.Select(r => r.Metadata.Annotations?.TryGetValue(RevisionAnnotation, out var v) == true && long.TryParse(v, CultureInfo.InvariantCulture, out var n) ? n : 0)
                .DefaultIfEmpty(0).Max() + 1;
            try
            {
                var created = await Context.Api.CreateAsync(Context.ReplicaSets, ns, ClusterContext.ToJson(NewReplicaSet(deployment, hash, initial, revision)), null, cancellationToken);
                newRs = ClusterContext.FromStored<V1ReplicaSet>(created);
                Context.ReplicaSetInformer.Assume(created);
                await Context.RecordEventAsync(deployment, "Normal", "ScalingReplicaSet", $"Scaled up replica set {newRs.Metadata.Name} from 0 to {initial}", Component, null, cancellationToken);
            }
            catch (ApiException e) when (e.Code == 409)
            {
                return;
            }
        }

        if (recreate)
        {
            foreach (var rs in old.Where(r => (r.Spec.Replicas ?? 0) > 0))
            {
                await ScaleAsync(deployment, rs, 0, cancellationToken);
            }

            if (old.Sum(r => r.Status?.Replicas ?? 0) == 0 && (newRs.Spec.Replicas ?? 0) != replicas)
            {
                await ScaleAsync(deployment, newRs, replicas, cancellationToken);
            }
        }
        else
        {
            // Scale up the new ReplicaSet within the surge budget.
            var total = owned.Sum(r => r.Spec.Replicas ?? 0) + (owned.Contains(newRs) ? 0 : newRs.Spec.Replicas ?? 0);
            var newReplicas = newRs.Spec.Replicas ?? 0;
            var target = newReplicas > replicas ? replicas : Math.Min(replicas, newReplicas + Math.Max(0, replicas + maxSurge - total));
            if (target != newReplicas)
            {
                await ScaleAsync(deployment, newRs, target, cancellationToken);
            }

            // Scale old ones down: their unavailable replicas at once, available ones while availability allows.
            var minAvailable = replicas - maxUnavailable;
            var totalAvailable = owned.Sum(r => r.Status?.AvailableReplicas ?? 0);
            var allowed = Math.Max(0, totalAvailable - minAvailable);
            foreach (var rs in old)
            {
                var current = rs.Spec.Replicas ?? 0;
                if (current == 0)
                {
                    continue;
                }

                var unavailable = Math.Max(0, current - (rs.Status?.AvailableReplicas ?? 0));
                var availableToRemove = Math.Min(allowed, current - unavailable);
                allowed -= availableToRemove;
                var next = current - unavailable - availableToRemove;
                if (next != current)
                {
                    await ScaleAsync(deployment, rs, next, cancellationToken);
                }
            }
        }

        // Availability counts what the strategy may leave unavailable: nothing for Recreate, at most every replica.
        await WriteStatusAsync(deployment, newRs, owned, replicas, recreate ? 0 : Math.Min(maxUnavailable, replicas), cancellationToken);
    }

    private async Task ScaleAsync(V1Deployment deployment, V1ReplicaSet rs, int replicas, CancellationToken cancellationToken)
    {
        var from = rs.Spec.Replicas ?? 0;
        var written = await Context.PatchAsync(Context.ReplicaSets, rs.Metadata.NamespaceProperty, rs.Metadata.Name,
            new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } }, cancellationToken);
        Context.ReplicaSetInformer.Assume(written);
        await Context.RecordEventAsync(deployment, "Normal", "ScalingReplicaSet",
            $"Scaled {(replicas > from ? "up" : "down")} replica set {rs.Metadata.Name} from {from} to {replicas}", Component, null, cancellationToken);
    }

    private async Task WriteStatusAsync(V1Deployment deployment, V1ReplicaSet newRs, List<V1ReplicaSet> owned, int replicas, int maxUnavailable,
        CancellationToken cancellationToken)
    {
        var all = owned.Contains(newRs) ? owned : [.. owned, newRs];
        var current = all.Sum(r => r.Status?.Replicas ?? 0);
        var updated = newRs.Status?.Replicas ?? 0;
        var ready = all.Sum(r => r.Status?.ReadyReplicas ?? 0);
        var available = all.Sum(r => r.Status?.AvailableReplicas ?? 0);
        var unavailable = Math.Max(0, replicas - available);
        var complete = updated == replicas && current == replicas && available == replicas && (newRs.Status?.ObservedGeneration ?? 0) >= (newRs.Metadata.Generation ?? 1);
        var isAvailable = available >= replicas - maxUnavailable;
        var old = deployment.Status;
        var now = Serialization.Timestamp.Format(Context.Time.GetUtcNow());
        var progressingReason = complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated";
        var failure = new[] { newRs }.Concat(all.Where(r => r != newRs))
            .Select(r => r.Status?.Conditions?.FirstOrDefault(c => c.Type == "ReplicaFailure")).FirstOrDefault(c => c is not null);
        var availableReason = isAvailable ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable";
        if (old is not null && old.Replicas == current && (old.UpdatedReplicas ?? 0) == updated && (old.ReadyReplicas ?? 0) == ready &&
            (old.AvailableReplicas ?? 0) == available && (old.UnavailableReplicas ?? 0) == unavailable && old.ObservedGeneration == deployment.Metadata.Generation &&
            old.Conditions?.FirstOrDefault(c => c.Type == "Progressing")?.Reason == progressingReason &&
            old.Conditions?.FirstOrDefault(c => c.Type == "Available")?.Reason == availableReason &&
            old.Conditions?.FirstOrDefault(c => c.Type == "ReplicaFailure")?.Message == failure?.Message)
        {
            return;
        }

        JsonObject Condition(string type, bool status, string reason, string message)
        {
            var previous = old?.Conditions?.FirstOrDefault(c => c.Type == type);
            var transition = previous is not null && previous.Status == (status ? "True" : "False") && previous.LastTransitionTime is { } t
                ? Serialization.Timestamp.Format(new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)))
                : now;
            return new JsonObject
            {
                ["type"] = type,
                ["status"] = status ? "True" : "False",
                ["lastUpdateTime"] = now,
                ["lastTransitionTime"] = transition,
                ["reason"] = reason,
                ["message"] = message,
            };
        }

        var conditions = new JsonArray(
            Condition("Available", isAvailable, availableReason, isAvailable ? "Deployment has minimum availability." : "Deployment does not have minimum availability."),
            Condition("Progressing", true, progressingReason, complete
                ? $"ReplicaSet \"{newRs.Metadata.Name}\" has successfully progressed."
                : $"ReplicaSet \"{newRs.Metadata.Name}\" is progressing."));
        if (failure is not null)
        {
            conditions.Add(Condition("ReplicaFailure", failure.Status == "True", failure.Reason ?? "FailedCreate", failure.Message ?? ""));
        }

        var written = await Context.PatchStatusAsync(Context.Deployments, deployment.Metadata.NamespaceProperty, deployment.Metadata.Name, new JsonObject
        {
            ["observedGeneration"] = deployment.Metadata.Generation,
            ["replicas"] = current == 0 ? null : current,
            ["updatedReplicas"] = updated == 0 ? null : updated,
            ["readyReplicas"] = ready == 0 ? null : ready,
            ["availableReplicas"] = available == 0 ? null : available,
            ["unavailableReplicas"] = unavailable == 0 ? null : unavailable,
            ["conditions"] = conditions,
        }, cancellationToken);
        Context.DeploymentInformer.Assume(written);
    }

    private static V1ReplicaSet NewReplicaSet(V1Deployment deployment, string hash, int replicas, long revision)
    {
        var template = KubernetesJson.Deserialize<V1PodTemplateSpec>(KubernetesJson.Serialize(deployment.Spec.Template));
        template.Metadata ??= new V1ObjectMeta();
        template.Metadata.Labels = new Dictionary<string, string>(template.Metadata.Labels ?? new Dictionary<string, string>()) { [HashLabel] = hash };
        var selector = KubernetesJson.Deserialize<V1LabelSelector>(KubernetesJson.Serialize(deployment.Spec.Selector));
        selector.MatchLabels = new Dictionary<string, string>(selector.MatchLabels ?? new Dictionary<string, string>()) { [HashLabel] = hash };
        return new V1ReplicaSet
        {
            ApiVersion = "apps/v1",
            Kind = "ReplicaSet",
            Metadata = new V1ObjectMeta
            {
                Name = $"{deployment.Metadata.Name}-{hash}",
                NamespaceProperty = deployment.Metadata.NamespaceProperty,
                Labels = template.Metadata.Labels,
                Annotations = new Dictionary<string, string>
                {
                    [RevisionAnnotation] = revision.ToString(CultureInfo.InvariantCulture),
                    ["deployment.kubernetes.io/desired-replicas"] = (deployment.Spec.Replicas ?? 1).ToString(CultureInfo.InvariantCulture),
                },
                OwnerReferences = [OwnerReferences.ControllerOf("apps/v1", "Deployment", deployment.Metadata)],
            },
            Spec = new V1ReplicaSetSpec
            {
                Replicas = replicas,
                MinReadySeconds = deployment.Spec.MinReadySeconds,
                Selector = selector,
                Template = template,
            },
        };
    }
}
