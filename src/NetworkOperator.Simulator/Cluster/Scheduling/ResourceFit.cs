namespace NetworkOperator.Simulator.Cluster.Scheduling;

/// <summary>The scheduler's NodeResourcesFit filter: requests against allocatable minus what bound pods already use.</summary>
public static class ResourceFit
{
    /// <summary>The scheduler's reasons, e.g. <c>Insufficient rdma/rdma_shared_device_a</c> or <c>Too many pods</c>.</summary>
    public static IReadOnlyList<string> Insufficient(IReadOnlyDictionary<string, decimal> requests, IReadOnlyDictionary<string, decimal> allocatable, NodeUsage? usage)
    {
        List<string>? reasons = null;
        var allowedPods = allocatable.TryGetValue("pods", out var pods) ? pods : 110m;
        if ((usage?.PodCount ?? 0) + 1 > allowedPods)
        {
            (reasons ??= []).Add("Too many pods");
        }

        foreach (var (name, requested) in requests)
        {
            if (requested <= 0)
            {
                continue;
            }

            var used = usage?.Requested.GetValueOrDefault(name) ?? 0;
            var available = allocatable.GetValueOrDefault(name);
            if (used + requested > available)
            {
                (reasons ??= []).Add("Insufficient " + name);
            }
        }

        return reasons ?? (IReadOnlyList<string>)[];
    }
}
