using k8s.Models;

namespace NetworkOperator.Simulator.Cluster.Scheduling;

/// <summary>What a pod asks a node for, computed like the scheduler: the larger of the containers' sum and any single
/// init container, plus pod overhead. A limit without a request counts as the request (API defaulting does this).</summary>
public static class PodResources
{
    public static Dictionary<string, decimal> Requests(V1PodSpec spec)
    {
        var total = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var container in spec.Containers ?? [])
        {
            foreach (var (name, value) in ContainerRequests(container))
            {
                total[name] = total.GetValueOrDefault(name) + value;
            }
        }

        foreach (var init in spec.InitContainers ?? [])
        {
            foreach (var (name, value) in ContainerRequests(init))
            {
                if (value > total.GetValueOrDefault(name))
                {
                    total[name] = value;
                }
            }
        }

        foreach (var (name, quantity) in spec.Overhead ?? new Dictionary<string, ResourceQuantity>())
        {
            total[name] = total.GetValueOrDefault(name) + quantity.ToDecimal();
        }

        return total;
    }

    private static IEnumerable<KeyValuePair<string, decimal>> ContainerRequests(V1Container container)
    {
        var requests = container.Resources?.Requests;
        var limits = container.Resources?.Limits;
        if (requests is not null)
        {
            foreach (var (name, quantity) in requests)
            {
                yield return KeyValuePair.Create(name, quantity.ToDecimal());
            }
        }

        if (limits is not null)
        {
            foreach (var (name, quantity) in limits)
            {
                if (requests is null || !requests.ContainsKey(name))
                {
                    yield return KeyValuePair.Create(name, quantity.ToDecimal());
                }
            }
        }
    }

    public static Dictionary<string, decimal> Allocatable(V1Node node)
    {
        var result = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (name, quantity) in node.Status?.Allocatable ?? new Dictionary<string, ResourceQuantity>())
        {
            result[name] = quantity.ToDecimal();
        }

        return result;
    }
}
