using k8s.Models;
using NetworkOperator.Api;

namespace NetworkOperator.Rendering;

/// <summary>
/// The kinds component states render, from the one kind registry, for the states' <see cref="IComponentState{TPolicy}.OwnedKinds"/>.
/// </summary>
public static class StateKinds
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
    public static readonly ResourceKind PersistentVolumeClaim = ResourceKinds.For<V1PersistentVolumeClaim>();
    public static readonly ResourceKind Issuer = ResourceKinds.Issuer;
    public static readonly ResourceKind Certificate = ResourceKinds.Certificate;

    /// <summary>The Role and RoleBinding that let a ServiceAccount use OpenShift's privileged SCC.</summary>
    public static readonly IReadOnlyList<ResourceKind> OpenShiftScc = [Role, RoleBinding];
}
