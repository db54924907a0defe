using k8s.Models;
using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Rendering.Common;

/// <summary>Per-container resources: the policy's <c>containerResources</c> entry for the container, else the state's default.</summary>
public static class Resources
{
    public static V1ResourceRequirements? For(IEnumerable<ResourceRequirements> overrides, string containerName, V1ResourceRequirements? fallback = null)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var match = overrides.FirstOrDefault(r => string.Equals(r.Name, containerName, StringComparison.Ordinal));
        if (match is null)
        {
            return fallback;
        }

        return new V1ResourceRequirements
        {
            Requests = match.Requests is { Count: > 0 } ? new Dictionary<string, ResourceQuantity>(match.Requests, StringComparer.Ordinal) : null,
            Limits = match.Limits is { Count: > 0 } ? new Dictionary<string, ResourceQuantity>(match.Limits, StringComparer.Ordinal) : null,
        };
    }

    public static V1ResourceRequirements Of((string Cpu, string Memory)? requests, (string Cpu, string Memory)? limits) => new()
    {
        Requests = requests is { } r ? Quantities(r.Cpu, r.Memory) : null,
        Limits = limits is { } l ? Quantities(l.Cpu, l.Memory) : null,
    };

    private static Dictionary<string, ResourceQuantity> Quantities(string? cpu, string? memory)
    {
        var map = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(cpu))
        {
            map["cpu"] = new ResourceQuantity(cpu);
        }

        if (!string.IsNullOrEmpty(memory))
        {
            map["memory"] = new ResourceQuantity(memory);
        }

        return map;
    }
}
