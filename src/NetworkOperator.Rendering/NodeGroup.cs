using NetworkOperator.Api.Components;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Rendering.Common;
using k8s.Models;

namespace NetworkOperator.Rendering;

/// <summary>
/// Who a driver or device-plugin render is for: the NicClusterPolicy (all nodes, upstream names) or one NicNodePolicy
/// (its node selector, names suffixed with its name or name hash, <c>ds-owner: nnp-&lt;name&gt;</c>).
/// </summary>
public sealed record NodeGroup
{
    public required string DsOwner { get; init; }

    /// <summary><c>""</c> or <c>-&lt;policy name&gt;</c>: ConfigMap names and the RDMA <c>app</c> label.</summary>
    public string NameSuffix { get; init; } = string.Empty;

    /// <summary><c>""</c> or <c>-&lt;hash(policy name)&gt;</c>: DaemonSet names and (our choice) helper objects such as ServiceAccounts.</summary>
    public string HashSuffix { get; init; } = string.Empty;

    public IReadOnlyDictionary<string, string> NodeSelector { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public IReadOnlyList<V1Toleration> Tolerations { get; init; } = [];

    public V1NodeAffinity? NodeAffinity { get; init; }

    public GlobalConfig? Global { get; init; }

    public bool IsNodePolicy => NameSuffix.Length > 0;

    public static NodeGroup For(NicClusterPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new NodeGroup
        {
            DsOwner = ComponentCatalog.PerPolicyDsOwner(NicClusterPolicy.KubeKind, ApiGroup.NicClusterPolicyName),
            Tolerations = policy.Spec.Tolerations ?? [],
            NodeAffinity = policy.Spec.NodeAffinity,
            Global = policy.Spec.Global,
        };
    }

    public static NodeGroup For(NicNodePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var name = policy.Metadata?.Name ?? throw new RenderException("a NicNodePolicy needs a name", "metadata.name");
        return new NodeGroup
        {
            DsOwner = ComponentCatalog.PerPolicyDsOwner(NicNodePolicy.KubeKind, name),
            NameSuffix = "-" + name,
            HashSuffix = "-" + ShortHash.Compute(name),
            NodeSelector = policy.Spec.NodeSelector ?? new Dictionary<string, string>(StringComparer.Ordinal),
            Tolerations = policy.Spec.Tolerations ?? [],
        };
    }

    /// <summary>Node selector of a node-side DaemonSet: the state's own entries, then the policy's node selector.</summary>
    public Dictionary<string, string> MergeNodeSelector(params (string Key, string Value)[] own)
    {
        var selector = K8s.Map(own);
        foreach (var (key, value) in NodeSelector)
        {
            selector[key] = value;
        }

        return selector;
    }
}
