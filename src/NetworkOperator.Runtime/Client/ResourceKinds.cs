using System.Collections.Concurrent;
using System.Reflection;
using k8s;
using k8s.Models;

namespace NetworkOperator.Runtime.Client;

/// <summary>
/// Maps a .NET type to its <see cref="ResourceKind"/>. Built-in KubernetesClient models carry group, version and
/// plural in their <see cref="KubernetesEntityAttribute"/>; whether they are namespaced comes from a small table of
/// the cluster-scoped built-ins. Custom kinds must be registered once (no discovery round trip is needed).
/// </summary>
public static class ResourceKinds
{
    // Cluster-scoped kinds of the built-in API groups; everything else built in is namespaced.
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

    private static readonly ConcurrentDictionary<Type, ResourceKind> Registered = new();

    /// <summary>Registers (or overrides) the kind of <typeparamref name="T"/>.</summary>
    public static void Register<T>(ResourceKind kind)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(kind);
        Registered[typeof(T)] = kind;
    }

    /// <summary>Registers a custom kind from its <see cref="KubernetesEntityAttribute"/> plus its scope.</summary>
    public static ResourceKind Register<T>(bool namespaced)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var kind = FromAttribute(typeof(T), namespaced)
            ?? throw new InvalidOperationException(
                $"{typeof(T).Name} has no [KubernetesEntity] attribute; register it with an explicit ResourceKind.");
        Registered[typeof(T)] = kind;
        return kind;
    }

    public static ResourceKind For<T>()
        where T : IKubernetesObject<V1ObjectMeta> => For(typeof(T));

    public static ResourceKind For(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (Registered.TryGetValue(type, out var kind))
        {
            return kind;
        }

        if (type.Assembly == typeof(V1Pod).Assembly && type.GetCustomAttribute<KubernetesEntityAttribute>() is { } attribute)
        {
            var key = $"{attribute.Group}/{attribute.Kind}";
            kind = FromAttribute(type, !ClusterScopedBuiltIns.Contains(key))!;
            return Registered.GetOrAdd(type, kind);
        }

        throw new InvalidOperationException(
            $"The kind of {type.Name} is not known; call ResourceKinds.Register<{type.Name}>(...) at startup.");
    }

    private static ResourceKind? FromAttribute(Type type, bool namespaced)
    {
        var attribute = type.GetCustomAttribute<KubernetesEntityAttribute>();
        if (attribute is null || string.IsNullOrEmpty(attribute.PluralName) || string.IsNullOrEmpty(attribute.ApiVersion))
        {
            return null;
        }

        return new ResourceKind(attribute.Group ?? string.Empty, attribute.ApiVersion, attribute.PluralName, attribute.Kind,
            namespaced);
    }
}
