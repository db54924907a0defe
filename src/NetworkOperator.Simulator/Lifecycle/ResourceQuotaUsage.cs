using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Admission.Quota;
using NetworkOperator.Simulator.ApiServer;
using NetworkOperator.Simulator.Schema;
using NetworkOperator.Simulator.Validation;

namespace NetworkOperator.Simulator.Lifecycle;

/// <summary>
/// kube-controller-manager's resource quota controller for one namespace: each quota's <c>status.hard</c> is its
/// <c>spec.hard</c>, and <c>status.used</c> the recount of what the namespace's objects cost it (zero for a tracked
/// resource nothing uses), so usage charged by admission is released when pods finish or objects are deleted.
/// </summary>
internal static class ResourceQuotaUsage
{
    private static readonly string[] CoreCounted = ["pods", "services", "persistentvolumeclaims", "configmaps", "secrets", "replicationcontrollers", "resourcequotas"];

    public static async Task RecalculateAsync(ResourceService service, string ns, CancellationToken token)
    {
        var quotaType = service.Registry.Find("", "v1", "resourcequotas")!;
        foreach (var stored in service.List(quotaType, ns).Items)
        {
            var quota = stored.ToJsonObject();
            var hard = ResourceList.From((quota["spec"] as JsonObject)?["hard"] as JsonObject);
            var status = quota["status"] as JsonObject;
            var used = ResourceList.From(status?["used"] as JsonObject);
            foreach (var (name, quantity) in Count(service, ns, quota, hard.Keys.ToList()))
            {
                used[name] = quantity;
            }

            var desired = new JsonObject { ["hard"] = hard.ToJson(), ["used"] = used.Mask(hard.Keys).ToJson() };
            if (JsonNode.DeepEquals(desired, status))
            {
                continue;
            }

            await service.GuaranteedUpdateAsync(quotaType, ns, stored.Name, 0, "status", WriteOptions.Default, (current, _) =>
            {
                current["status"] = desired.DeepClone();
                return current;
            }, token);
        }
    }

    private static ResourceList Count(ResourceService service, string ns, JsonObject quota, List<string> hard)
    {
        var selectors = QuotaEvaluator.ScopeSelectors(quota);
        var usage = new ResourceList();
        foreach (var type in CountedTypes(service, hard))
        {
            var matched = QuotaEvaluator.MatchingResources(type, hard);
            if (matched.Count == 0)
            {
                continue;
            }

            var sum = new ResourceList();
            foreach (var name in matched)
            {
                sum[name] = new Quantity(0, QuantityFormat.DecimalSI);
            }

            foreach (var obj in service.List(type, ns).Objects)
            {
                if (QuotaEvaluator.MatchesScopes(type, obj, selectors))
                {
                    sum.Add(QuotaEvaluator.Usage(type, obj).Mask(matched));
                }
            }

            usage.Add(sum);
        }

        return usage;
    }

    /// <summary>The kinds a quota's names can charge: the core ones with their own names, and any kind named by count/.</summary>
    private static List<ResourceType> CountedTypes(ResourceService service, List<string> hard)
    {
        var types = CoreCounted.Select(plural => service.Registry.Find("", "v1", plural)).OfType<ResourceType>().ToList();
        foreach (var name in hard.Where(n => n.StartsWith("count/", StringComparison.Ordinal)))
        {
            var resource = name["count/".Length..];
            var dot = resource.IndexOf('.', StringComparison.Ordinal);
            var (plural, group) = dot < 0 ? (resource, "") : (resource[..dot], resource[(dot + 1)..]);
            if (service.Registry.FindAnyVersion(group, plural) is { } type && !types.Any(t => t.StorageKey == type.StorageKey))
            {
                types.Add(type);
            }
        }

        return types;
    }
}
