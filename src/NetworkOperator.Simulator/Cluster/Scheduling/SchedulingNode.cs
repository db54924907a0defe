using k8s.Models;

namespace NetworkOperator.Simulator.Cluster.Scheduling;

/// <summary>The scheduler's view of one node: the object, its allocatable, and the pods bound to it with their requests.</summary>
public sealed class SchedulingNode
{
    private readonly Dictionary<string, (V1Pod Pod, Dictionary<string, decimal> Requests)> _pods = new(StringComparer.Ordinal);

    // Bound pods with required pod anti-affinity: every placement checks them against the incoming pod, and on a GPU
    // cluster they are a few workload pods among a dozen daemon pods per node.
    private readonly Dictionary<string, V1Pod> _withAntiAffinity = new(StringComparer.Ordinal);

    public SchedulingNode(V1Node node)
    {
        Update(node);
    }

    public V1Node Node { get; private set; } = null!;

    public string Name => Node.Metadata.Name;

    public IReadOnlyDictionary<string, decimal> Allocatable { get; private set; } = null!;

    public NodeUsage Usage { get; } = new();

    public IEnumerable<V1Pod> Pods => _pods.Values.Select(p => p.Pod);

    /// <summary>The bound pods that carry required pod anti-affinity terms.</summary>
    public IEnumerable<V1Pod> PodsWithAntiAffinity => _withAntiAffinity.Values;

    /// <summary>Whether any bound pod carries required pod anti-affinity terms (most nodes have none).</summary>
    public bool HasPodsWithAntiAffinity => _withAntiAffinity.Count > 0;

    public void Update(V1Node node)
    {
        Node = node;
        Allocatable = PodResources.Allocatable(node);
    }

    /// <summary>Adds or replaces a bound pod, keyed by namespace/name.</summary>
    public void SetPod(string key, V1Pod pod)
    {
        RemovePod(key);
        var requests = PodResources.Requests(pod.Spec);
        _pods[key] = (pod, requests);
        Usage.Add(requests);
        if (pod.Spec?.Affinity?.PodAntiAffinity?.RequiredDuringSchedulingIgnoredDuringExecution is { Count: > 0 })
        {
            _withAntiAffinity[key] = pod;
        }
    }

    public bool RemovePod(string key)
    {
        if (!_pods.Remove(key, out var old))
        {
            return false;
        }

        Usage.Remove(old.Requests);
        _withAntiAffinity.Remove(key);
        return true;
    }

    public bool HasPod(string key) => _pods.ContainsKey(key);
}
