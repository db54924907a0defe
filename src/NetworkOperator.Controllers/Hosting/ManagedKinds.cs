using k8s.Models;
using NetworkOperator.Api;
using NetworkOperator.Api.Contract;
using NadType = NetworkOperator.Api.Cni.NetworkAttachmentDefinition;

namespace NetworkOperator.Controllers.Hosting;

/// <summary>
/// The kinds a state may render and that stale-object removal sweeps, taken from the kind registry. Kinds the cluster
/// does not serve (cert-manager absent, for example) are skipped at start-up.
/// </summary>
public static class ManagedKinds
{
    public static readonly ResourceKind ServiceAccount = ResourceKinds.For<V1ServiceAccount>();
    public static readonly ResourceKind ConfigMap = ResourceKinds.For<V1ConfigMap>();
    public static readonly ResourceKind DaemonSet = ResourceKinds.For<V1DaemonSet>();
    public static readonly ResourceKind Deployment = ResourceKinds.For<V1Deployment>();
    public static readonly ResourceKind Service = ResourceKinds.For<V1Service>();
    public static readonly ResourceKind CustomResourceDefinition = ResourceKinds.For<V1CustomResourceDefinition>();
    public static readonly ResourceKind ClusterRole = ResourceKinds.For<V1ClusterRole>();
    public static readonly ResourceKind ClusterRoleBinding = ResourceKinds.For<V1ClusterRoleBinding>();
    public static readonly ResourceKind Role = ResourceKinds.For<V1Role>();
    public static readonly ResourceKind RoleBinding = ResourceKinds.For<V1RoleBinding>();
    public static readonly ResourceKind ValidatingWebhookConfiguration = ResourceKinds.For<V1ValidatingWebhookConfiguration>();
    public static readonly ResourceKind NetworkAttachmentDefinition = ResourceKinds.For<NadType>();
    public static readonly ResourceKind CronJob = ResourceKinds.For<V1CronJob>();
    public static readonly ResourceKind Issuer = ResourceKinds.Issuer;
    public static readonly ResourceKind Certificate = ResourceKinds.Certificate;
    public static readonly ResourceKind PersistentVolumeClaim = ResourceKinds.For<V1PersistentVolumeClaim>();

    public static readonly IReadOnlyList<ResourceKind> All =
    [
        ServiceAccount, ConfigMap, DaemonSet, Deployment, Service, CustomResourceDefinition, ClusterRole, ClusterRoleBinding,
        Role, RoleBinding, ValidatingWebhookConfiguration, NetworkAttachmentDefinition, CronJob, Issuer, Certificate,
        PersistentVolumeClaim,
    ];

    /// <summary>Label selector scoping every managed-kind cache: only objects some state rendered.</summary>
    public const string StateLabelSelector = Labels.State;

    public static ResourceKind? Find(string apiVersion, string kind) =>
        All.FirstOrDefault(k => k.ApiVersion == apiVersion && k.Kind == kind);
}
