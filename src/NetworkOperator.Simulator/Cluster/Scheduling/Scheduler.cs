using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using k8s.Models;
using NetworkOperator.Simulator.Cluster.Controllers;
using NetworkOperator.Simulator.Cluster.Informers;
using NetworkOperator.Simulator.Errors;

namespace NetworkOperator.Simulator.Cluster.Scheduling;

/// <summary>
/// The default scheduler: binds each pending pod to a node that passes every filter, preferring the least loaded one.
/// A pod that fits nowhere gets <c>PodScheduled=False</c> (reason Unschedulable) and a FailedScheduling event worded
/// like the real one, and is retried whenever nodes change or a bound pod goes away. Pods pinned to one node through
/// <c>matchFields</c> (daemon pods) are checked against that node only, so DaemonSets over thousands of nodes cost O(1)
/// per pod.
/// </summary>
internal sealed class Scheduler
{
    private const string Component = "default-scheduler";
    private readonly ClusterContext _context;
    private readonly WorkQueue _queue;
    private readonly ConcurrentDictionary<string, SchedulingNode> _nodes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _podNode = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _unschedulable = new(StringComparer.Ordinal);
    private readonly Lock _assumeLock = new();

    public Scheduler(ClusterContext context)
    {
        _context = context;
        _queue = new WorkQueue(context.Time);
        context.NodeInformer.OnChange((old, node) =>
        {
            if (node is null)
            {
                _nodes.TryRemove(old!.Metadata.Name, out _);
                return;
            }

            lock (_assumeLock)
            {
                _nodes.AddOrUpdate(node.Metadata.Name, _ => new SchedulingNode(node), (_, existing) =>
                {
                    existing.Update(node);
                    return existing;
                });
            }

            RetryUnschedulable();
        });
        context.PodInformer.OnChange((old, pod) =>
        {
            var key = Informer<V1Pod>.KeyOf((pod ?? old)!);
            if (pod is null || PodState.IsFinished(pod))
            {
                _unschedulable.TryRemove(key, out _);
                if (Unbind(key))
                {
                    RetryUnschedulable();
                }

                return;
            }

            if (!string.IsNullOrEmpty(pod.Spec.NodeName))
            {
                _unschedulable.TryRemove(key, out _);
                Bind(key, pod.Spec.NodeName, pod);
            }
            else if (pod.Metadata.DeletionTimestamp is null && IsOurs(pod))
            {
                _queue.Add(key);
            }
        });
    }

    public int Pending => _queue.Pending;

    public Task RunAsync(CancellationToken cancellationToken) =>
        _queue.RunAsync(_context.Options.Workers, ScheduleAsync, (key, e) => _context.ReportError(Component, key, e), cancellationToken);

    private static bool IsOurs(V1Pod pod) => pod.Spec.SchedulerName is null or "" or Component;

    private void RetryUnschedulable()
    {
        foreach (var key in _unschedulable.Keys)
        {
            _queue.Add(key);
        }
    }

    private void Bind(string key, string nodeName, V1Pod pod)
    {
        lock (_assumeLock)
        {
            if (_podNode.TryGetValue(key, out var previous) && previous != nodeName && _nodes.TryGetValue(previous, out var old))
            {
                old.RemovePod(key);
            }

            _podNode[key] = nodeName;
            if (_nodes.TryGetValue(nodeName, out var node))
            {
                node.SetPod(key, pod);
            }
        }
    }

    private bool Unbind(string key)
    {
        lock (_assumeLock)
        {
            return _podNode.TryRemove(key, out var nodeName) && _nodes.TryGetValue(nodeName, out var node) && node.RemovePod(key);
        }
    }

    private async Task ScheduleAsync(string key, CancellationToken cancellationToken)
    {
        var pod = _context.PodInformer.Get(key);
        if (pod is null || !string.IsNullOrEmpty(pod.Spec.NodeName) || pod.Metadata.DeletionTimestamp is not null || _podNode.ContainsKey(key))
        {
            _unschedulable.TryRemove(key, out _);
            return;
        }

        string? chosen = null;
        var failures = new List<IReadOnlyList<string>>();
        var total = _nodes.Count;
        lock (_assumeLock)
        {
            var pinned = NodeSelectorMatcher.PinnedNodeName(pod.Spec);
            IEnumerable<SchedulingNode> candidates = pinned is null
                ? _nodes.Values
                : _nodes.TryGetValue(pinned, out var only) ? [only] : [];
            SchedulingNode? best = null;
            var requests = PodResources.Requests(pod.Spec);
            foreach (var node in candidates)
            {
                var reasons = SchedulingPredicates.Filter(pod, requests, node);
                if (reasons.Count > 0)
                {
                    failures.Add(reasons);
                }
                else if (best is null || node.Usage.PodCount < best.Usage.PodCount ||
                         (node.Usage.PodCount == best.Usage.PodCount && string.CompareOrdinal(node.Name, best.Name) < 0))
                {
                    best = node;
                }
            }

            if (pinned is not null && best is null)
            {
                // Every other node fails the pin, as the real NodeAffinity filter reports.
                for (var i = failures.Count; i < total; i++)
                {
                    failures.Add([SchedulingPredicates.ReasonAffinity]);
                }
            }

            if (best is not null)
            {
                chosen = best.Name;
                pod.Spec.NodeName = chosen;
                _podNode[key] = chosen;
                best.SetPod(key, pod);
            }
        }

        if (chosen is null)
        {
            await ReportUnschedulableAsync(key, pod, SchedulingPredicates.FailureMessage(total, failures), cancellationToken);
            return;
        }

        try
        {
            // The binding also sets PodScheduled=True, replacing an earlier Unschedulable condition.
            var bound = await _context.BindAsync(pod.Metadata.NamespaceProperty, pod.Metadata.Name, chosen, cancellationToken);
            _context.Counters.Bound();
            _unschedulable.TryRemove(key, out _);
            _context.PodInformer.Assume(bound);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            Unbind(key);
        }
        catch
        {
            Unbind(key);
            throw;
        }
    }

    private async Task ReportUnschedulableAsync(string key, V1Pod pod, string message, CancellationToken cancellationToken)
    {
        _context.Counters.SchedulingFailed();
        var previous = _unschedulable.TryGetValue(key, out var last) ? last : null;
        _unschedulable[key] = message;
        if (previous == message && PodState.Condition(pod, "PodScheduled")?.Message == message)
        {
            return;
        }

        try
        {
            var written = await _context.PatchStatusAsync(_context.Pods, pod.Metadata.NamespaceProperty, pod.Metadata.Name,
                new JsonObject { ["conditions"] = new JsonArray(Condition("False", "Unschedulable", message)) }, cancellationToken);
            _context.PodInformer.Assume(written);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            _unschedulable.TryRemove(key, out _);
            return;
        }

        await _context.RecordEventAsync(pod, "Warning", "FailedScheduling", message, Component, null, cancellationToken);
    }

    private JsonObject Condition(string status, string? reason, string? message)
    {
        var condition = new JsonObject
        {
            ["type"] = "PodScheduled",
            ["status"] = status,
            ["lastProbeTime"] = null,
            ["lastTransitionTime"] = Serialization.Timestamp.Format(_context.Time.GetUtcNow()),
        };
        if (reason is not null)
        {
            condition["reason"] = reason;
            condition["message"] = message;
        }

        return condition;
    }
}
