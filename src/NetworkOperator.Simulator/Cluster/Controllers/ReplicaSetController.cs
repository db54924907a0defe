using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using NetworkOperator.Simulator.Errors;

namespace NetworkOperator.Simulator.Cluster.Controllers;

/// <summary>
/// The ReplicaSet controller: keeps spec.replicas active pods (creating from the template, deleting unscheduled,
/// not-ready and newest pods first) and reports replicas, fullyLabeledReplicas, readyReplicas, availableReplicas and
/// observedGeneration.
/// </summary>
internal sealed class ReplicaSetController(ClusterContext context)
    : OwningController<V1ReplicaSet, V1Pod>(context, Component, context.ReplicaSetInformer, context.PodInformer, "ReplicaSet")
{
    private const string Component = "replicaset-controller";
    private readonly FailureBackoff _backoff = new();

    protected override async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var rs = Context.ReplicaSetInformer.Get(key);
        if (rs is null || rs.Metadata.DeletionTimestamp is not null)
        {
            return;
        }

        var ns = rs.Metadata.NamespaceProperty;
        var active = Children.Of(rs.Metadata.Uid).Where(PodState.IsActive).ToList();
        var want = rs.Spec.Replicas ?? 1;
        var diff = want - active.Count;
        ApiException? refused = null;
        if (diff > 0)
        {
            (var created, refused) = await PodCreator.CreateAsync(Context, rs, [.. Enumerable.Range(0, diff).Select(_ => NewPod(rs))], Component, cancellationToken);
            if (created > 0)
            {
                await Context.RecordEventAsync(rs, "Normal", "SuccessfulCreate", $"Created {created} pod(s)", Component, null, cancellationToken);
            }
        }
        else if (diff < 0)
        {
            var victims = active
                .OrderBy(p => string.IsNullOrEmpty(p.Spec.NodeName) ? 0 : 1)
                .ThenBy(p => PodState.IsReady(p) ? 1 : 0)
                .ThenByDescending(p => p.Metadata.CreationTimestamp)
                .Take(-diff)
                .ToList();
            foreach (var victim in victims)
            {
                try
                {
                    var result = await Context.Api.DeleteAsync(Context.Pods, ns, victim.Metadata.Name, null, cancellationToken);
                    Context.Counters.PodDeleted();
                    if (result.Deleted)
                    {
                        Context.PodInformer.AssumeDeleted(result.Object);
                    }
                    else
                    {
                        Context.PodInformer.Assume(result.Object);
                    }
                }
                catch (ApiException e) when (e.Code == 404)
                {
                }
            }
        }

        var now = Context.Now;
        var minReady = rs.Spec.MinReadySeconds ?? 0;
        var pods = Children.Of(rs.Metadata.Uid).Where(PodState.IsActive).ToList();
        var ready = pods.Count(PodState.IsReady);
        var available = pods.Count(p => PodState.IsAvailable(p, minReady, now));
        var status = rs.Status;

        // As the real controller: a refused create sets ReplicaFailure (kept with its first message while failures go
        // on), and the first sync without one removes it; the Deployment controller copies it into the Deployment.
        var failure = status?.Conditions?.FirstOrDefault(c => c.Type == "ReplicaFailure");
        var conditions = (status?.Conditions ?? []).Where(c => c.Type != "ReplicaFailure").Select(c => JsonNode.Parse(KubernetesJson.Serialize(c))).ToList();
        var conditionsChanged = false;
        if (refused is not null)
        {
            conditions.Add(failure is not null
                ? JsonNode.Parse(KubernetesJson.Serialize(failure))
                : new JsonObject
                {
                    ["type"] = "ReplicaFailure", ["status"] = "True", ["lastTransitionTime"] = Serialization.Timestamp.Format(Context.Time.GetUtcNow()),
                    ["reason"] = "FailedCreate", ["message"] = refused.Message,
                });
            conditionsChanged = failure is null;
            Queue.AddAfter(key, _backoff.Next(key));
        }
        else
        {
            conditionsChanged = failure is not null;
            _backoff.Reset(key);
        }

        if (status is null || status.Replicas != pods.Count || (status.ReadyReplicas ?? 0) != ready || (status.AvailableReplicas ?? 0) != available ||
            status.ObservedGeneration != rs.Metadata.Generation || (status.FullyLabeledReplicas ?? 0) != pods.Count || conditionsChanged)
        {
            var written = await Context.PatchStatusAsync(Context.ReplicaSets, ns, rs.Metadata.Name, new JsonObject
            {
                ["replicas"] = pods.Count,
                ["fullyLabeledReplicas"] = pods.Count == 0 ? null : pods.Count,
                ["readyReplicas"] = ready == 0 ? null : ready,
                ["availableReplicas"] = available == 0 ? null : available,
                ["observedGeneration"] = rs.Metadata.Generation,
                ["conditions"] = conditions.Count == 0 ? null : new JsonArray([.. conditions]),
            }, cancellationToken);
            Context.ReplicaSetInformer.Assume(written);
        }

        if (ready > available)
        {
            Queue.AddAfter(key, TimeSpan.FromSeconds(1));
        }
    }

    private static V1Pod NewPod(V1ReplicaSet rs)
    {
        var template = KubernetesJson.Deserialize<V1PodTemplateSpec>(KubernetesJson.Serialize(rs.Spec.Template));
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                GenerateName = rs.Metadata.Name + "-",
                NamespaceProperty = rs.Metadata.NamespaceProperty,
                Labels = template.Metadata?.Labels,
                Annotations = template.Metadata?.Annotations,
                OwnerReferences = [OwnerReferences.ControllerOf("apps/v1", "ReplicaSet", rs.Metadata)],
            },
            Spec = template.Spec,
        };
    }
}
