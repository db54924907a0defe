using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using NetworkOperator.Simulator.Cluster.Informers;
using NetworkOperator.Simulator.Errors;

namespace NetworkOperator.Simulator.Cluster.Controllers;

/// <summary>
/// The ReplicaSet controller: keeps spec.replicas active pods (creating from the template, deleting unscheduled,
/// not-ready and newest pods first) and reports replicas, fullyLabeledReplicas, readyReplicas, availableReplicas and
/// observedGeneration.
/// </summary>
internal sealed class ReplicaSetController
{
    private const string Component = "replicaset-controller";
    private readonly ClusterContext _context;
    private readonly WorkQueue _queue;
    private readonly OwnerIndex<V1Pod> _pods;

    public ReplicaSetController(ClusterContext context)
    {
        _context = context;
        _queue = new WorkQueue(context.Time);
        _pods = new OwnerIndex<V1Pod>(context.PodInformer, "ReplicaSet");
        context.ReplicaSetInformer.OnChange((_, rs) =>
        {
            if (rs is not null)
            {
                _queue.Add(Informer<V1ReplicaSet>.KeyOf(rs));
            }
        });
        context.PodInformer.OnChange((old, pod) =>
        {
            var obj = (pod ?? old)!;
            if (obj.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true && o.Kind == "ReplicaSet") is { } owner)
            {
                _queue.Add(obj.Metadata.NamespaceProperty + "/" + owner.Name);
            }
        });
    }

    public int Pending => _queue.Pending;

    public Task RunAsync(CancellationToken cancellationToken) =>
        _queue.RunAsync(_context.Options.Workers, SyncAsync, (key, e) => _context.ReportError(Component, key, e), cancellationToken);

    private async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var rs = _context.ReplicaSetInformer.Get(key);
        if (rs is null || rs.Metadata.DeletionTimestamp is not null)
        {
            return;
        }

        var ns = rs.Metadata.NamespaceProperty;
        var active = _pods.Of(rs.Metadata.Uid).Where(PodState.IsActive).ToList();
        var want = rs.Spec.Replicas ?? 1;
        var diff = want - active.Count;
        if (diff > 0)
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, diff), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (_, ct) =>
            {
                var created = await _context.Api.CreateAsync(_context.Pods, ns, ClusterContext.ToJson(NewPod(rs)), null, ct);
                _context.Counters.PodCreated();
                _context.PodInformer.Assume(created);
            });
            await _context.RecordEventAsync(rs, "Normal", "SuccessfulCreate", $"Created {diff} pod(s)", Component, null, cancellationToken);
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
                    var result = await _context.Api.DeleteAsync(_context.Pods, ns, victim.Metadata.Name, null, cancellationToken);
                    _context.Counters.PodDeleted();
                    if (result.Deleted)
                    {
                        _context.PodInformer.AssumeDeleted(result.Object);
                    }
                    else
                    {
                        _context.PodInformer.Assume(result.Object);
                    }
                }
                catch (ApiException e) when (e.Code == 404)
                {
                }
            }
        }

        var now = _context.Now;
        var minReady = rs.Spec.MinReadySeconds ?? 0;
        var pods = _pods.Of(rs.Metadata.Uid).Where(PodState.IsActive).ToList();
        var ready = pods.Count(PodState.IsReady);
        var available = pods.Count(p => PodState.IsAvailable(p, minReady, now));
        var status = rs.Status;
        if (status is null || status.Replicas != pods.Count || (status.ReadyReplicas ?? 0) != ready || (status.AvailableReplicas ?? 0) != available ||
            status.ObservedGeneration != rs.Metadata.Generation || (status.FullyLabeledReplicas ?? 0) != pods.Count)
        {
            var written = await _context.PatchStatusAsync(_context.ReplicaSets, ns, rs.Metadata.Name, new JsonObject
            {
                ["replicas"] = pods.Count,
                ["fullyLabeledReplicas"] = pods.Count == 0 ? null : pods.Count,
                ["readyReplicas"] = ready == 0 ? null : ready,
                ["availableReplicas"] = available == 0 ? null : available,
                ["observedGeneration"] = rs.Metadata.Generation,
            }, cancellationToken);
            _context.ReplicaSetInformer.Assume(written);
        }

        if (ready > available)
        {
            _queue.AddAfter(key, TimeSpan.FromSeconds(1));
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
