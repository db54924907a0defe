using k8s.Models;
using NetworkOperator.Api.Serialization;
using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Api.Validation;

/// <summary>
/// Checks <c>containerResources</c>: known container names, only cpu and memory, no zero or negative amounts, and
/// requests not above limits (the scheduler would reject such pods only when the DaemonSet is already rolled out).
/// </summary>
internal static class ContainerResourceRules
{
    private static readonly string[] SupportedResources = ["cpu", "memory"];

    public static void Check(IReadOnlyList<ResourceRequirements>? resources, string path, IReadOnlyList<string> containerNames, ValidationCollector collector)
    {
        if (resources is null)
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < resources.Count; i++)
        {
            var item = resources[i];
            var itemPath = FieldPath.Index(path, i);
            if (item.Name is { } name)
            {
                if (!containerNames.Contains(name))
                {
                    collector.NotSupported(FieldPath.Child(itemPath, "name"), name, containerNames);
                }
                else if (!seen.Add(name))
                {
                    collector.Duplicate(FieldPath.Child(itemPath, "name"), name, "container already has resources earlier in the list");
                }
            }

            CheckAmounts(item.Requests, FieldPath.Child(itemPath, "requests"), "Requests", collector);
            CheckAmounts(item.Limits, FieldPath.Child(itemPath, "limits"), "Limits", collector);
            if (item.Requests is null || item.Limits is null)
            {
                continue;
            }

            foreach (var (resource, request) in item.Requests)
            {
                if (item.Limits.TryGetValue(resource, out var limit) && request is not null && limit is not null
                    && request.ToDecimal() > limit.ToDecimal())
                {
                    collector.Invalid(FieldPath.Child(FieldPath.Child(itemPath, "requests"), resource), request.ToString(),
                        $"resource request for {resource} is greater than the limit ({limit})");
                }
            }
        }
    }

    private static void CheckAmounts(Dictionary<string, ResourceQuantity>? amounts, string path, string kind, ValidationCollector collector)
    {
        if (amounts is null)
        {
            return;
        }

        foreach (var (resource, quantity) in amounts)
        {
            var field = FieldPath.Child(path, resource);
            if (!SupportedResources.Contains(resource))
            {
                collector.NotSupported(field, resource, SupportedResources);
                continue;
            }

            var amount = quantity?.ToDecimal() ?? 0;
            if (amount == 0)
            {
                collector.Invalid(field, quantity?.ToString() ?? "0", $"resource {kind} for {resource} is zero");
            }
            else if (amount < 0)
            {
                collector.Invalid(field, quantity!.ToString(), $"resource {kind} for {resource} is negative");
            }
        }
    }
}
