using System.Text;
using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Serialization;

namespace NetworkOperator.Simulator.Tables;

internal sealed partial class TableRenderer
{
    /// <summary>
    /// What bounds the pods of a namespace or cluster: disruption budgets, resource quotas and priority classes, as the
    /// real server's printers fill them (limit ranges have no printer and get the default Name / Created At table).
    /// </summary>
    private static class PolicyColumns
    {
        public static readonly IReadOnlyList<Column> PodDisruptionBudget =
        [
            NameColumn,
            new("Min Available", "string", (o, _) => IntOrPercent(o, "spec.minAvailable"),
                Description: "The minimum number of pods that must be available."),
            new("Max Unavailable", "string", (o, _) => IntOrPercent(o, "spec.maxUnavailable"),
                Description: "The maximum number of pods that may be unavailable."),
            new("Allowed Disruptions", "integer", (o, _) => N(o, "status.disruptionsAllowed"),
                Description: "Calculated number of pods that may be disrupted at this time."),
            AgeColumn,
        ];

        // Kubernetes 1.32 prints the age before the usage columns; 1.33 moved it to the end.
        public static readonly IReadOnlyList<Column> ResourceQuota =
        [
            NameColumn,
            AgeColumn,
            new("Request", "string", (o, _) => Usage(o, limits: false),
                Description: "Request represents a minimum amount of cpu/memory that a container may consume."),
            new("Limit", "string", (o, _) => Usage(o, limits: true),
                Description: "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node."),
        ];

        public static readonly IReadOnlyList<Column> PriorityClass =
        [
            NameColumn,
            new("Value", "integer", (o, _) => o["value"].GetInt64() ?? 0,
                Description: "value represents the integer value of this priority class."),
            new("Global-Default", "boolean", (o, _) => o["globalDefault"].GetBool() ?? false,
                Description: "globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class."),
            AgeColumn,
            // Not a wide column in the real server either: kubectl get priorityclass shows it.
            new("PreemptionPolicy", "string", (o, _) => o.GetString("preemptionPolicy") ?? "",
                Description: "preemptionPolicy is the Policy for preempting pods with lower priority."),
        ];

        private static string IntOrPercent(JsonObject pdb, string path) =>
            At(pdb, path) is { } value ? SimpleJsonPath.Text(value) : "N/A";

        /// <summary>
        /// "name: used/hard" for each resource of status.hard, sorted by name and joined by ", "; resources named
        /// "limits.*" go to the Limit column, all others to Request. An empty status (no quota controller pass yet)
        /// prints empty cells.
        /// </summary>
        private static string Usage(JsonObject quota, bool limits)
        {
            var hard = At(quota, "status.hard") as JsonObject ?? [];
            var used = At(quota, "status.used") as JsonObject;
            var text = new StringBuilder();
            foreach (var (name, value) in hard.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                var pieces = name.Split('.');
                if ((pieces.Length > 1 && pieces[0] == "limits") != limits)
                {
                    continue;
                }

                if (text.Length > 0)
                {
                    text.Append(", ");
                }

                text.Append(name).Append(": ").Append(QuantityText(used?[name])).Append('/').Append(QuantityText(value));
            }

            return text.ToString();
        }
    }
}
