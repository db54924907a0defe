using k8s.Models;

namespace NetworkOperator.Rendering.Common;

/// <summary>
/// Terse constructors for the Kubernetes objects and pod-spec pieces the states render, so each renderer reads like
/// the object list it produces. Every object gets apiVersion and kind set (the models leave them null).
/// </summary>
public static class K8s
{
    public static V1ObjectMeta Meta(string name, string? ns = null, IDictionary<string, string>? labels = null, IDictionary<string, string>? annotations = null) => new()
    {
        Name = name,
        NamespaceProperty = ns,
        Labels = labels is null ? null : new Dictionary<string, string>(labels, StringComparer.Ordinal),
        Annotations = annotations is null ? null : new Dictionary<string, string>(annotations, StringComparer.Ordinal),
    };

    /// <summary>The pod annotation that lets <c>kubectl logs</c>/<c>exec</c> pick <paramref name="container"/> without <c>-c</c>.</summary>
    public static Dictionary<string, string> DefaultContainer(string container) => Map(("kubectl.kubernetes.io/default-container", container));

    public static Dictionary<string, string> Map(params (string Key, string Value)[] pairs)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            map[key] = value;
        }

        return map;
    }

    public static V1ServiceAccount ServiceAccount(string name, string ns) => new()
    {
        ApiVersion = "v1",
        Kind = "ServiceAccount",
        Metadata = Meta(name, ns),
    };

    public static V1PolicyRule Rule(string[] apiGroups, string[] resources, string[] verbs, string[]? resourceNames = null) => new()
    {
        ApiGroups = apiGroups,
        Resources = resources,
        Verbs = verbs,
        ResourceNames = resourceNames,
    };

    public static V1ClusterRole ClusterRole(string name, params V1PolicyRule[] rules) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "ClusterRole",
        Metadata = Meta(name),
        Rules = rules,
    };

    public static V1ClusterRoleBinding ClusterRoleBinding(string name, string clusterRole, string serviceAccount, string ns) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "ClusterRoleBinding",
        Metadata = Meta(name),
        RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = clusterRole },
        Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = serviceAccount, NamespaceProperty = ns }],
    };

    public static V1Role Role(string name, string ns, params V1PolicyRule[] rules) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "Role",
        Metadata = Meta(name, ns),
        Rules = rules,
    };

    public static V1RoleBinding RoleBinding(string name, string ns, string role, string serviceAccount) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "RoleBinding",
        Metadata = Meta(name, ns),
        RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = role },
        Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = serviceAccount, NamespaceProperty = ns }],
    };

    public static V1ConfigMap ConfigMap(string name, string ns, IDictionary<string, string> data, IDictionary<string, string>? labels = null, IDictionary<string, string>? annotations = null) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = Meta(name, ns, labels, annotations),
        Data = new Dictionary<string, string>(data, StringComparer.Ordinal),
    };

    public static V1Volume HostPath(string name, string path, string? type = null) => new()
    {
        Name = name,
        HostPath = new V1HostPathVolumeSource { Path = path, Type = type },
    };

    public static V1Volume ConfigMapVolume(string name, string configMap, IEnumerable<(string Key, string Path)>? items = null, int? defaultMode = null) => new()
    {
        Name = name,
        ConfigMap = new V1ConfigMapVolumeSource
        {
            Name = configMap,
            Items = items?.Select(i => new V1KeyToPath { Key = i.Key, Path = i.Path }).ToList(),
            DefaultMode = defaultMode,
        },
    };

    public static V1VolumeMount Mount(string name, string mountPath, bool readOnly = false, string? propagation = null, string? subPath = null) => new()
    {
        Name = name,
        MountPath = mountPath,
        ReadOnlyProperty = readOnly ? true : null,
        MountPropagation = propagation,
        SubPath = subPath,
    };

    public static V1EnvVar Env(string name, string value) => new() { Name = name, Value = value };

    public static V1EnvVar FieldEnv(string name, string fieldPath, string? apiVersion = null) => new()
    {
        Name = name,
        ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = fieldPath, ApiVersion = apiVersion } },
    };

    public static V1EnvVar SecretEnv(string name, string secret, string key, bool optional) => new()
    {
        Name = name,
        ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = secret, Key = key, Optional = optional ? true : null } },
    };

    public static V1SecurityContext Privileged(long? runAsUser = null) => new() { Privileged = true, RunAsUser = runAsUser };

    public static V1Toleration Toleration(string key, string effect = "NoSchedule", string op = "Exists") => new() { Key = key, OperatorProperty = op, Effect = effect };

    public static List<V1LocalObjectReference>? PullSecrets(IReadOnlyList<string> names) =>
        names.Count == 0 ? null : [.. names.Select(n => new V1LocalObjectReference { Name = n })];

    public static V1DaemonSetUpdateStrategy RollingUpdate => new() { Type = "RollingUpdate" };

    public static V1DaemonSetUpdateStrategy OnDelete => new() { Type = "OnDelete" };

    public static V1Probe ExecProbe(string command, int initialDelay, int period, int? failureThreshold, int? timeout) => new()
    {
        Exec = new V1ExecAction { Command = ["sh", "-c", command] },
        InitialDelaySeconds = initialDelay,
        PeriodSeconds = period,
        FailureThreshold = failureThreshold,
        TimeoutSeconds = timeout,
        SuccessThreshold = 1,
    };

    public static V1Probe HttpProbe(string path, int port, int initialDelay, int period) => new()
    {
        HttpGet = new V1HTTPGetAction { Path = path, Port = port },
        InitialDelaySeconds = initialDelay,
        PeriodSeconds = period,
    };

    public static Dictionary<string, ResourceQuantity> Quantities(params (string Name, string Value)[] values) =>
        values.ToDictionary(v => v.Name, v => new ResourceQuantity(v.Value), StringComparer.Ordinal);
}
