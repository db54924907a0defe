using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using NetworkOperator.Simulator.ApiServer;
using NetworkOperator.Simulator.Errors;

namespace NetworkOperator.Simulator.Cluster.Controllers;

/// <summary>
/// kube-controller-manager's pod garbage collector for orphans: a pod bound to a node that no longer exists has no
/// kubelet to stop it or to confirm its deletion, so once the node has been missing for the quarantine period (and a
/// read of the node confirms it is gone) the pod is marked Failed with a <c>DisruptionTarget</c> condition
/// (<c>DeletionByPodGC</c>) and deleted with grace period 0. Its owner (a Deployment's ReplicaSet) then replaces it.
/// The other collections (terminated pods over the threshold, pods on out-of-service nodes) are not simulated.
/// </summary>
internal sealed class PodGarbageCollector(ClusterContext context)
{
    private const string Component = "pod-garbage-collector";
    private readonly Dictionary<string, DateTimeOffset> _missingSince = new(StringComparer.Ordinal);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(context.Options.PodGarbageCollectionPeriod, context.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await CollectAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    context.ReportError(Component, "orphans", e);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task CollectAsync(CancellationToken cancellationToken)
    {
        var nodes = context.NodeInformer.Items.Select(n => n.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        var orphans = context.PodInformer.Items
            .Where(p => p.Spec?.NodeName is { Length: > 0 } node && !nodes.Contains(node))
            .ToList();
        var now = context.Time.GetUtcNow();
        var missing = orphans.Select(p => p.Spec.NodeName).ToHashSet(StringComparer.Ordinal);
        foreach (var node in _missingSince.Keys.Where(n => !missing.Contains(n)).ToList())
        {
            _missingSince.Remove(node);
        }

        foreach (var node in missing)
        {
            _missingSince.TryAdd(node, now);
        }

        var gone = missing
            .Where(n => now - _missingSince[n] >= context.Options.PodGarbageCollectionQuarantine && context.Api.TryGet(context.Nodes, null, n) is null)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var pod in orphans.Where(p => gone.Contains(p.Spec.NodeName)))
        {
            await MarkFailedAndDeleteAsync(pod, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task MarkFailedAndDeleteAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        var ns = pod.Metadata.NamespaceProperty;
        try
        {
            if (pod.Status?.Phase is not ("Succeeded" or "Failed"))
            {
                var conditions = (pod.Status?.Conditions ?? []).Where(c => c.Type != "DisruptionTarget").ToList();
                conditions.Add(new V1PodCondition
                {
                    Type = "DisruptionTarget", Status = "True", Reason = "DeletionByPodGC", Message = "PodGC: node no longer exists",
                    LastTransitionTime = context.Now,
                });
                await context.PatchStatusAsync(context.Pods, ns, pod.Metadata.Name, new JsonObject
                {
                    ["phase"] = "Failed",
                    ["conditions"] = JsonNode.Parse(KubernetesJson.Serialize(conditions)),
                }, cancellationToken).ConfigureAwait(false);
            }

            var result = await context.Api.DeleteAsync(context.Pods, ns, pod.Metadata.Name,
                new DeleteOptions { GracePeriodSeconds = 0, PreconditionUid = pod.Metadata.Uid }, cancellationToken).ConfigureAwait(false);
            context.Counters.PodDeleted();
            if (result.Deleted)
            {
                context.PodInformer.AssumeDeleted(result.Object);
            }
        }
        catch (ApiException e) when (e.Code is 404 or 409)
        {
            // Gone already, or replaced by a pod of the same name: nothing of this one is left to collect.
        }
    }
}
