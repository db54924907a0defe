using System.Text.Json.Nodes;

namespace NetworkOperator.Simulator.Auth;

/// <summary>
/// The default ClusterRoles and ClusterRoleBindings of a fresh Kubernetes 1.32 cluster that clients notice:
/// cluster-admin (bound to system:masters), discovery, basic-user and public-info-viewer (what every authenticated or
/// anonymous caller may do), and the aggregated admin/edit/view roles with the system:aggregate-to-* roles feeding
/// them. Node, controller-manager and scheduler roles are left out: nothing in the simulator authenticates as them.
/// </summary>
internal static class BootstrapPolicy
{
    private const string AggregateToAdmin = "rbac.authorization.k8s.io/aggregate-to-admin";
    private const string AggregateToEdit = "rbac.authorization.k8s.io/aggregate-to-edit";
    private const string AggregateToView = "rbac.authorization.k8s.io/aggregate-to-view";

    private static readonly string[] Read = ["get", "list", "watch"];
    private static readonly string[] Write = ["create", "update", "patch", "delete", "deletecollection"];
    private static readonly string[] ReadWrite = [.. Read, .. Write];

    public static IEnumerable<JsonObject> ClusterRoles()
    {
        yield return Role("cluster-admin", null, null,
            PolicyRule.For(["*"], ["*"], ["*"]),
            PolicyRule.ForUrls(["*"], ["*"]));
        yield return Role("system:discovery", null, null,
            PolicyRule.ForUrls(["get"], ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"]));
        yield return Role("system:basic-user", null, null,
            PolicyRule.For(["create"], ["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]),
            PolicyRule.For(["create"], ["authentication.k8s.io"], ["selfsubjectreviews"]));
        // What components that delegate authentication and authorization to the API server are bound to.
        yield return Role("system:auth-delegator", null, null,
            PolicyRule.For(["create"], ["authentication.k8s.io"], ["tokenreviews"]),
            PolicyRule.For(["create"], ["authorization.k8s.io"], ["subjectaccessreviews"]));
        yield return Role("system:public-info-viewer", null, null,
            PolicyRule.ForUrls(["get"], ["/healthz", "/livez", "/readyz", "/version", "/version/"]));
        yield return Role("admin", null, AggregateToAdmin);
        yield return Role("edit", AggregateToAdmin, AggregateToEdit);
        yield return Role("view", AggregateToEdit, AggregateToView);
        yield return Role("system:aggregate-to-admin", AggregateToAdmin, null,
            PolicyRule.For(["create"], ["authorization.k8s.io"], ["localsubjectaccessreviews"]),
            PolicyRule.For(ReadWrite, ["rbac.authorization.k8s.io"], ["rolebindings", "roles"]));
        yield return Role("system:aggregate-to-edit", AggregateToEdit, null,
            PolicyRule.For(Read, [""], ["pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"]),
            PolicyRule.For(["impersonate"], [""], ["serviceaccounts"]),
            PolicyRule.For(Write, [""], ["pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"]),
            PolicyRule.For(["create"], [""], ["pods/eviction"]),
            PolicyRule.For(Write, [""], ["configmaps", "persistentvolumeclaims", "replicationcontrollers", "replicationcontrollers/scale",
                "secrets", "serviceaccounts", "services", "services/proxy"]),
            PolicyRule.For(["create"], [""], ["serviceaccounts/token"]),
            PolicyRule.For(Write, ["apps"], ["daemonsets", "deployments", "deployments/rollback", "deployments/scale", "replicasets",
                "replicasets/scale", "statefulsets", "statefulsets/scale"]),
            PolicyRule.For(Write, ["autoscaling"], ["horizontalpodautoscalers"]),
            PolicyRule.For(Write, ["batch"], ["cronjobs", "jobs"]),
            PolicyRule.For(Write, ["extensions"], ["daemonsets", "deployments", "deployments/rollback", "deployments/scale", "ingresses",
                "networkpolicies", "replicasets", "replicasets/scale", "replicationcontrollers/scale"]),
            PolicyRule.For(Write, ["policy"], ["poddisruptionbudgets"]),
            PolicyRule.For(Write, ["networking.k8s.io"], ["ingresses", "networkpolicies"]));
        yield return Role("system:aggregate-to-view", AggregateToView, null,
            PolicyRule.For(Read, [""], ["configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "pods",
                "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services", "services/status"]),
            PolicyRule.For(Read, [""], ["bindings", "events", "limitranges", "namespaces/status", "pods/log", "pods/status",
                "replicationcontrollers/status", "resourcequotas", "resourcequotas/status"]),
            PolicyRule.For(Read, [""], ["namespaces"]),
            PolicyRule.For(Read, ["discovery.k8s.io"], ["endpointslices"]),
            PolicyRule.For(Read, ["apps"], ["controllerrevisions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale",
                "deployments/status", "replicasets", "replicasets/scale", "replicasets/status", "statefulsets", "statefulsets/scale",
                "statefulsets/status"]),
            PolicyRule.For(Read, ["autoscaling"], ["horizontalpodautoscalers", "horizontalpodautoscalers/status"]),
            PolicyRule.For(Read, ["batch"], ["cronjobs", "cronjobs/status", "jobs", "jobs/status"]),
            PolicyRule.For(Read, ["extensions"], ["daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status",
                "ingresses", "ingresses/status", "networkpolicies", "replicasets", "replicasets/scale", "replicasets/status",
                "replicationcontrollers/scale"]),
            PolicyRule.For(Read, ["policy"], ["poddisruptionbudgets", "poddisruptionbudgets/status"]),
            PolicyRule.For(Read, ["networking.k8s.io"], ["ingresses", "ingresses/status", "networkpolicies"]));
    }

    public static IEnumerable<JsonObject> ClusterRoleBindings()
    {
        yield return Binding("cluster-admin", UserInfo.MastersGroup);
        yield return Binding("system:discovery", UserInfo.AuthenticatedGroup);
        yield return Binding("system:basic-user", UserInfo.AuthenticatedGroup);
        yield return Binding("system:public-info-viewer", UserInfo.AuthenticatedGroup, UserInfo.UnauthenticatedGroup);
    }

    private static JsonObject Role(string name, string? label, string? aggregates, params PolicyRule[] rules)
    {
        var role = new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "ClusterRole",
            ["metadata"] = Metadata(name, label),
        };
        if (aggregates is not null)
        {
            role["aggregationRule"] = new JsonObject
            {
                ["clusterRoleSelectors"] = new JsonArray(new JsonObject { ["matchLabels"] = new JsonObject { [aggregates] = "true" } }),
            };
        }

        role["rules"] = new JsonArray([.. rules.Select(r => (JsonNode)r.ToJson())]);
        return role;
    }

    private static JsonObject Binding(string role, params string[] groups) => new()
    {
        ["apiVersion"] = "rbac.authorization.k8s.io/v1",
        ["kind"] = "ClusterRoleBinding",
        ["metadata"] = Metadata(role, null),
        ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = role },
        ["subjects"] = new JsonArray([.. groups.Select(g => (JsonNode)new JsonObject
        {
            ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "Group", ["name"] = g,
        })]),
    };

    private static JsonObject Metadata(string name, string? label)
    {
        var labels = new JsonObject { ["kubernetes.io/bootstrapping"] = "rbac-defaults" };
        if (label is not null)
        {
            labels[label] = "true";
        }

        return new JsonObject
        {
            ["name"] = name,
            ["labels"] = labels,
            ["annotations"] = new JsonObject { ["rbac.authorization.kubernetes.io/autoupdate"] = "true" },
        };
    }
}
