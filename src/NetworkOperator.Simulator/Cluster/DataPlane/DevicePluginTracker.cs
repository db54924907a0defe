using System.Collections.Concurrent;

namespace NetworkOperator.Simulator.Cluster.DataPlane;

/// <summary>
/// Which device-plugin pods advertise what on which node. A node's extended resources are the union over its Ready
/// plugin pods (the larger count wins when two advertise the same name, e.g. during a rolling update).
/// </summary>
internal sealed class DevicePluginTracker
{
    private readonly ConcurrentDictionary<string, Dictionary<string, Dictionary<string, long>>> _byNode = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Sets the pod's resources and returns the node's resulting union plus the names that disappeared.</summary>
    public (Dictionary<string, long> Advertised, List<string> Removed) Set(string node, string podKey, Dictionary<string, long>? resources)
    {
        lock (_lock)
        {
            var pods = _byNode.GetOrAdd(node, _ => new(StringComparer.Ordinal));
            var before = Union(pods);
            if (resources is null || resources.Count == 0)
            {
                pods.Remove(podKey);
            }
            else
            {
                pods[podKey] = resources;
            }

            var after = Union(pods);
            return (after, [.. before.Keys.Where(k => !after.ContainsKey(k))]);
        }
    }

    public bool Tracks(string node, string podKey)
    {
        lock (_lock)
        {
            return _byNode.TryGetValue(node, out var pods) && pods.ContainsKey(podKey);
        }
    }

    private static Dictionary<string, long> Union(Dictionary<string, Dictionary<string, long>> pods)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var resources in pods.Values)
        {
            foreach (var (name, count) in resources)
            {
                result[name] = Math.Max(result.GetValueOrDefault(name), count);
            }
        }

        return result;
    }
}
