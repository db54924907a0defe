using k8s;
using k8s.Models;
using NetworkOperator.Simulator;
using YamlDotNet.Serialization;

namespace NetworkOperator.Tools.Demo;

/// <summary>
/// The identity the chart gives the operator: a ServiceAccount bound to a ClusterRole and a Role whose rules are
/// deploy/helm/network-operator/rbac-requirements.yaml (what the chart's role template renders, the chart tests check
/// that they are the same), embedded in this assembly. The demo and the end-to-end tests run the operator with a
/// TokenRequest token of this ServiceAccount, so the simulated API server enforces RBAC on every request it makes, as
/// on a real cluster: a permission the chart forgot fails there, not first on a user's cluster.
/// </summary>
internal static class ChartOperatorIdentity
{
    public const string ServiceAccountName = "network-operator";
    public const string RoleName = "network-operator";

    private const string ResourceName = "rbac-requirements.yaml";

    private static readonly string[] FullVerbs = ["create", "delete", "get", "list", "patch", "update", "watch"];

    /// <summary>Creates the ServiceAccount, roles and bindings (as cluster admin) in <paramref name="ns"/>.</summary>
    public static async Task InstallAsync(IKubernetes admin, string ns)
    {
        var (clusterRules, namespaceRules) = LoadRules();
        await admin.CoreV1.CreateNamespacedServiceAccountAsync(
            new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = ServiceAccountName, NamespaceProperty = ns } }, ns);
        var subject = new Rbacv1Subject { Kind = "ServiceAccount", Name = ServiceAccountName, NamespaceProperty = ns };
        await admin.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole { Metadata = new V1ObjectMeta { Name = RoleName }, Rules = clusterRules });
        await admin.RbacAuthorizationV1.CreateClusterRoleBindingAsync(new V1ClusterRoleBinding
        {
            Metadata = new V1ObjectMeta { Name = RoleName },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = RoleName },
            Subjects = [subject],
        });
        await admin.RbacAuthorizationV1.CreateNamespacedRoleAsync(
            new V1Role { Metadata = new V1ObjectMeta { Name = RoleName, NamespaceProperty = ns }, Rules = namespaceRules }, ns);
        await admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = RoleName, NamespaceProperty = ns },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = RoleName },
            Subjects = [subject],
        }, ns);
    }

    /// <summary>
    /// Creates the identity in <paramref name="ns"/> (which must exist) and writes a kubeconfig at <paramref name="path"/>
    /// whose user is a TokenRequest token of its ServiceAccount, for an operator run as a process; returns the path.
    /// </summary>
    public static async Task<string> WriteKubeconfigAsync(SimulatedApiServer server, string ns, string path)
    {
        using (var admin = server.CreateClient())
        {
            await InstallAsync(admin, ns);
        }

        Kubeconfig.Write(path, server.SecureAddress, server.CreateServiceAccountToken(ns, ServiceAccountName), server.CertificateAuthorityPem);
        return path;
    }

    /// <summary>The user name the API server gives the operator's token.</summary>
    public static string UserName(string ns) => $"system:serviceaccount:{ns}:{ServiceAccountName}";

    private static (List<V1PolicyRule> Cluster, List<V1PolicyRule> Namespace) LoadRules()
    {
        using var stream = typeof(ChartOperatorIdentity).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the embedded chart RBAC requirements ({ResourceName}) are missing from this build");
        using var reader = new StreamReader(stream);
        var doc = new DeserializerBuilder().Build().Deserialize<Dictionary<string, List<Dictionary<string, object>>>>(reader);
        return (Convert(doc["clusterRules"]), Convert(doc["namespaceRules"]));
    }

    private static List<V1PolicyRule> Convert(List<Dictionary<string, object>> rules) =>
    [
        .. rules.Select(rule => new V1PolicyRule
        {
            ApiGroups = Strings(rule, "apiGroups"),
            Resources = Strings(rule, "resources"),
            ResourceNames = rule.ContainsKey("resourceNames") ? Strings(rule, "resourceNames") : null,
            Verbs = [.. Strings(rule, "verbs").SelectMany(v => v == "full" ? FullVerbs : [v]).Distinct(StringComparer.Ordinal)],
        }),
    ];

    private static List<string> Strings(Dictionary<string, object> rule, string key) =>
        rule.TryGetValue(key, out var value) && value is List<object> list ? [.. list.Select(v => v?.ToString() ?? "")] : [];
}
