using System.Collections.Concurrent;
using System.Reflection;
using k8s;
using k8s.Models;
using NetworkOperator.Api.Cni;
using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Api;

/// <summary>
/// The one kind registry: every kind is derived from its model type. Group, version, kind and plural come from the
/// model's <see cref="KubernetesEntityAttribute"/>; the scope from its <see cref="EntityScopeAttribute"/> or, for
/// KubernetesClient's built-in models (which cannot carry our attribute), from the list of cluster-scoped built-ins.
/// Client, caches, CRD generator and simulator all read kinds from here; nothing is registered by hand.
/// </summary>
public static class ResourceKinds
{
    // Cluster-scoped kinds of the built-in API groups; every other built-in kind is namespaced.
    private static readonly HashSet<string> ClusterScopedBuiltIns = new(StringComparer.Ordinal)
    {
        "/Namespace", "/Node", "/PersistentVolume", "/ComponentStatus",
        "rbac.authorization.k8s.io/ClusterRole", "rbac.authorization.k8s.io/ClusterRoleBinding",
        "apiextensions.k8s.io/CustomResourceDefinition", "apiregistration.k8s.io/APIService",
        "admissionregistration.k8s.io/ValidatingWebhookConfiguration",
        "admissionregistration.k8s.io/MutatingWebhookConfiguration",
        "admissionregistration.k8s.io/ValidatingAdmissionPolicy",
        "admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding",
        "storage.k8s.io/StorageClass", "storage.k8s.io/CSIDriver", "storage.k8s.io/CSINode",
        "storage.k8s.io/VolumeAttachment", "scheduling.k8s.io/PriorityClass", "node.k8s.io/RuntimeClass",
        "networking.k8s.io/IngressClass", "certificates.k8s.io/CertificateSigningRequest",
        "flowcontrol.apiserver.k8s.io/FlowSchema", "flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration",
    };

    private static readonly ConcurrentDictionary<Type, ResourceKind> ByType = new();

    public static readonly ResourceKind NicClusterPolicy = Define<NicClusterPolicy>("nicclusterpolicy", ["ncp"]);

    public static readonly ResourceKind NicNodePolicy = Define<NicNodePolicy>("nicnodepolicy", ["nicnode", "nnp"]);

    public static readonly ResourceKind MacvlanNetwork = Define<MacvlanNetwork>("macvlannetwork", []);

    public static readonly ResourceKind HostDeviceNetwork = Define<HostDeviceNetwork>("hostdevicenetwork", []);

    public static readonly ResourceKind IPoIBNetwork = Define<IPoIBNetwork>("ipoibnetwork", []);

    public static readonly ResourceKind NetworkAttachmentDefinition =
        Define<NetworkAttachmentDefinition>("network-attachment-definition", ["nad", "net-attach-def"]);

    /// <summary>cert-manager's Issuer, which the webhook states render when cert-manager serves it (no model here).</summary>
    public static readonly ResourceKind Issuer = new("cert-manager.io", "v1", "Issuer", "issuers", Namespaced: true);

    /// <summary>cert-manager's Certificate (no model here).</summary>
    public static readonly ResourceKind Certificate = new("cert-manager.io", "v1", "Certificate", "certificates", Namespaced: true);

    /// <summary>The five mellanox.com kinds.</summary>
    public static readonly IReadOnlyList<ResourceKind> Mellanox = [NicClusterPolicy, NicNodePolicy, MacvlanNetwork, HostDeviceNetwork, IPoIBNetwork];

    /// <summary>Every kind that has a CRD in this project, in CRD catalog order.</summary>
    public static readonly IReadOnlyList<ResourceKind> All = [.. Mellanox, NetworkAttachmentDefinition];

    /// <summary>The kind of a model type.</summary>
    public static ResourceKind For<T>()
        where T : IKubernetesObject<V1ObjectMeta> => For(typeof(T));

    /// <summary>The kind of a model type; throws when the type does not say where it lives in the API.</summary>
    public static ResourceKind For(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return ByType.TryGetValue(type, out var kind) ? kind : ByType.GetOrAdd(type, Derive(type));
    }

    /// <summary>One of this project's CRD kinds, or null.</summary>
    public static ResourceKind? Find(string apiVersion, string kind) =>
        All.FirstOrDefault(k => k.ApiVersion == apiVersion && k.Kind == kind);

    /// <summary>The CRD kind modelled by <paramref name="clrType"/>, or null when it is not one of this project's.</summary>
    public static ResourceKind? Find(Type clrType) => All.FirstOrDefault(k => k.ClrType == clrType);

    private static ResourceKind Define<T>(string singular, IReadOnlyList<string> shortNames)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var kind = Derive(typeof(T)) with { Singular = singular, ShortNames = shortNames };
        ByType[typeof(T)] = kind;
        return kind;
    }

    private static ResourceKind Derive(Type type)
    {
        var entity = type.GetCustomAttribute<KubernetesEntityAttribute>();
        if (entity is null || string.IsNullOrEmpty(entity.PluralName) || string.IsNullOrEmpty(entity.ApiVersion)
            || string.IsNullOrEmpty(entity.Kind))
        {
            throw new InvalidOperationException(
                $"{type.Name} has no complete [KubernetesEntity] attribute (group, version, kind and plural), so its kind is not known.");
        }

        var group = entity.Group ?? string.Empty;
        bool namespaced;
        if (type.GetCustomAttribute<EntityScopeAttribute>() is { } scope)
        {
            namespaced = scope.Scope == EntityScope.Namespaced;
        }
        else if (type.Assembly == typeof(V1Pod).Assembly)
        {
            namespaced = !ClusterScopedBuiltIns.Contains($"{group}/{entity.Kind}");
        }
        else
        {
            throw new InvalidOperationException(
                $"{type.Name} does not declare its scope; add [EntityScope(EntityScope.Namespaced)] or [EntityScope(EntityScope.Cluster)] to it.");
        }

        return new ResourceKind(group, entity.ApiVersion, entity.Kind, entity.PluralName, namespaced) { ClrType = type };
    }
}
