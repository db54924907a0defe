using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Serialization;

namespace NetworkOperator.Simulator.Tables;

internal sealed partial class TableRenderer
{
    /// <summary>
    /// Role bindings and cluster role bindings as the real server's printers fill them (roles and cluster roles have no
    /// printer and get the default Name / Created At table).
    /// </summary>
    private static class RbacColumns
    {
        public static readonly IReadOnlyList<Column> RoleBinding = Of("roleBinding",
            "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.");

        public static readonly IReadOnlyList<Column> ClusterRoleBinding = Of("clusterRoleBinding",
            "RoleRef can only reference a ClusterRole in the global namespace.");

        private static List<Column> Of(string binding, string roleRefDescription) =>
        [
            NameColumn,
            new("Role", "string", (o, _) => $"{S(o, "roleRef.kind")}/{S(o, "roleRef.name")}", Description: roleRefDescription),
            AgeColumn,
            new("Users", "string", (o, _) => Subjects(o, "User"), 1, Description: $"Users in the {binding}"),
            new("Groups", "string", (o, _) => Subjects(o, "Group"), 1, Description: $"Groups in the {binding}"),
            new("ServiceAccounts", "string", (o, _) => Subjects(o, "ServiceAccount"), 1, Description: $"ServiceAccounts in the {binding}"),
        ];

        /// <summary>
        /// The subjects of one kind, in their order, joined by ", "; service accounts as "namespace/name". Subjects of
        /// any other kind appear in no column.
        /// </summary>
        private static string Subjects(JsonObject binding, string kind) => string.Join(", ",
            (binding["subjects"] as JsonArray ?? []).OfType<JsonObject>()
                .Where(s => s.GetString("kind") == kind)
                .Select(s => kind == "ServiceAccount" ? $"{s.GetString("namespace")}/{s.GetString("name")}" : s.GetString("name") ?? ""));
    }
}
