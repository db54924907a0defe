namespace NetworkOperator.Simulator.Cluster.Scheduling;

/// <summary>The requests of the pods already bound to one node, kept incrementally so fitting a pod costs O(resources).</summary>
public sealed class NodeUsage
{
    private readonly Dictionary<string, decimal> _requested = new(StringComparer.Ordinal);

    public int PodCount { get; private set; }

    public IReadOnlyDictionary<string, decimal> Requested => _requested;

    public void Add(IReadOnlyDictionary<string, decimal> requests)
    {
        PodCount++;
        foreach (var (name, value) in requests)
        {
            _requested[name] = _requested.GetValueOrDefault(name) + value;
        }
    }

    public void Remove(IReadOnlyDictionary<string, decimal> requests)
    {
        PodCount--;
        foreach (var (name, value) in requests)
        {
            var left = _requested.GetValueOrDefault(name) - value;
            if (left <= 0)
            {
                _requested.Remove(name);
            }
            else
            {
                _requested[name] = left;
            }
        }
    }
}
