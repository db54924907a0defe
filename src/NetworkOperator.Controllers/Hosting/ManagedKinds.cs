using NetworkOperator.Api.Contract;
using NetworkOperator.Runtime.Client;

namespace NetworkOperator.Controllers.Hosting;

/// <summary>
/// The kinds a state may render and that stale-object removal sweeps (upstream §2.5). Kinds the cluster does not
/// serve (cert-manager absent, for example) are skipped at start-up.
/// </summary>
public static class ManagedKinds
{
    public static readonly ResourceKind ServiceAccount = new(string.Empty, "v1", "serviceaccounts", "ServiceAccount", true);
    public static readonly ResourceKind ConfigMap = new(string.Empty, "v1", "configmaps", "ConfigMap", true);
    public static readonly ResourceKind DaemonSet = new("apps", "v1", "daemonsets", "DaemonSet", true);
    public static readonly ResourceKind Deployment = new("apps", "v1", "deployments", "Deployment", true);
    public static readonly ResourceKind Service = new(string.Empty, "v1", "services", "Service", true);
    public static readonly ResourceKind CustomResourceDefinition = new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false);
    public static readonly ResourceKind ClusterRole = new("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false);
    public static readonly ResourceKind ClusterRoleBinding = new("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false);
    public static readonly ResourceKind Role = new("rbac.authorization.k8s.io", "v1", "roles", "Role", true);
    public static readonly ResourceKind RoleBinding = new("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true);
    public static readonly ResourceKind ValidatingWebhookConfiguration = new("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration", false);
    public static readonly ResourceKind NetworkAttachmentDefinition = new("k8s.cni.cncf.io", "v1", "network-attachment-definitions", "NetworkAttachmentDefinition", true);
    public static readonly ResourceKind CronJob = new("batch", "v1", "cronjobs", "CronJob", true);
    public static readonly ResourceKind Issuer = new("cert-manager.io", "v1", "issuers", "Issuer", true);
    public static readonly ResourceKind Certificate = new("cert-manager.io", "v1", "certificates", "Certificate", true);
    public static readonly ResourceKind PersistentVolumeClaim = new(string.Empty, "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true);

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
