using NetworkOperator.Api.Components;
using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Controllers.Upgrade;

/// <summary>
/// Which policy an upgrade manager serves: its kind and name (for events and status) and the <c>ds-owner</c> label
/// value that selects its driver DaemonSets and pods.
/// </summary>
public sealed record PolicyIdentity(string Kind, string Name, string DsOwner, string? Uid = null)
{
    public static PolicyIdentity ForClusterPolicy(string name = "nic-cluster-policy", string? uid = null) =>
        new(NicClusterPolicy.KubeKind, name, ComponentCatalog.Ofed.DsOwner(NicClusterPolicy.KubeKind, name)!, uid);

    public static PolicyIdentity ForNodePolicy(string name, string? uid = null) =>
        new(NicNodePolicy.KubeKind, name, ComponentCatalog.Ofed.DsOwner(NicNodePolicy.KubeKind, name)!, uid);

    public override string ToString() => $"{Kind}/{Name}";
}
