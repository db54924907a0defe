using k8s.Models;
using NetworkOperator.Api;
using NetworkOperator.Api.Contract;
using NetworkOperator.Rendering;
using NadType = NetworkOperator.Api.Cni.NetworkAttachmentDefinition;

namespace NetworkOperator.Controllers.Hosting;

/// <summary>
/// The kinds the operator caches (scoped to the state label) and that stale-object removal sweeps: every kind a
/// component state declares it renders, plus the few written or left by something other than a state. Derived, so a
/// new state's kind is cached and swept without a second list to keep in step. Kinds the cluster does not serve
/// (cert-manager absent, for example) are skipped at start-up.
/// </summary>
public static class ManagedKinds
{
    public static readonly ResourceKind ServiceAccount = StateKinds.ServiceAccount;
    public static readonly ResourceKind ConfigMap = StateKinds.ConfigMap;
    public static readonly ResourceKind DaemonSet = StateKinds.DaemonSet;
    public static readonly ResourceKind Deployment = StateKinds.Deployment;
    public static readonly ResourceKind CustomResourceDefinition = StateKinds.CustomResourceDefinition;

    /// <summary>Rendered by the network reconcilers (MacvlanNetwork, HostDeviceNetwork, IPoIBNetwork), not by a state.</summary>
    public static readonly ResourceKind NetworkAttachmentDefinition = ResourceKinds.For<NadType>();

    /// <summary>
    /// No state renders one today. Kept because the operator is a drop-in for clusters that earlier operator releases
    /// managed, when the whereabouts IP reconciler ran as a CronJob carrying the state label and owned by the policy;
    /// caching the kind lets the stale-object sweep remove such a leftover rather than leave it running.
    /// </summary>
    public static readonly ResourceKind CronJob = ResourceKinds.For<V1CronJob>();

    /// <summary>The states' declared kinds in state order, then the kinds no state declares.</summary>
    public static readonly IReadOnlyList<ResourceKind> All =
    [
        .. ComponentStates.ClusterPolicy.SelectMany(s => s.OwnedKinds)
            .Concat(ComponentStates.NodePolicy.SelectMany(s => s.OwnedKinds))
            .Append(NetworkAttachmentDefinition)
            .Append(CronJob)
            .Distinct(),
    ];

    /// <summary>Label selector scoping every managed-kind cache: only objects some state rendered.</summary>
    public const string StateLabelSelector = Labels.State;

    public static ResourceKind? Find(string apiVersion, string kind) =>
        All.FirstOrDefault(k => k.ApiVersion == apiVersion && k.Kind == kind);
}
