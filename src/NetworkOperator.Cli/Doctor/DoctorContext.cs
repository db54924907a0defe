using System.Text.Json.Nodes;
using NetworkOperator.Api.Components;
using NetworkOperator.Api.Contract;

namespace NetworkOperator.Cli.Doctor;

internal static partial class DoctorChecks
{
    /// <summary>Look-ups over a snapshot the checks share: owners, Events per object, NIC nodes, enabled sections.</summary>
    private sealed class Context
    {
        private readonly Dictionary<(string Kind, string? Namespace, string Name), List<JsonObject>> _events = [];
        private readonly Dictionary<string, JsonObject> _nodes = new(StringComparer.Ordinal);

        public Context(ClusterSnapshot snapshot)
        {
            Snapshot = snapshot;
            foreach (var e in snapshot.Events)
            {
                var key = (e.Str("involvedObject", "kind") ?? string.Empty, NullIfEmpty(e.Str("involvedObject", "namespace")), e.Str("involvedObject", "name") ?? string.Empty);
                if (!_events.TryGetValue(key, out var list))
                {
                    _events[key] = list = [];
                }

                list.Add(e);
            }

            foreach (var node in snapshot.Nodes)
            {
                _nodes[node.Name()] = node;
            }

            NicNodes = [.. snapshot.Nodes.Where(n => n.Map("metadata", "labels").GetValueOrDefault(Labels.NicPresent) == "true")];
            DriverEnabled = snapshot.ClusterPolicies.Concat(snapshot.NodePolicies).Any(p => p["spec"]?[ComponentCatalog.Ofed.Section] is JsonObject);
        }

        public ClusterSnapshot Snapshot { get; }

        public IReadOnlyList<JsonObject> NicNodes { get; }

        public bool DriverEnabled { get; }

        public IReadOnlyDictionary<string, string> NodeLabels(string node) =>
            _nodes.TryGetValue(node, out var n) ? n.Map("metadata", "labels") : new Dictionary<string, string>();

        /// <summary>Whether a NicClusterPolicy sets the section at <paramref name="field"/> (a path like <c>spec.nvIpam</c>).</summary>
        public bool Deploys(string field) => Snapshot.ClusterPolicies.Any(p =>
        {
            JsonNode? current = p;
            foreach (var step in field.Split('.'))
            {
                current = current is JsonObject obj ? obj[step] : null;
            }

            return current is JsonObject;
        });

        /// <summary>The newest Event of <paramref name="reason"/> about the object (by last, then first timestamp).</summary>
        public JsonObject? LatestEvent(JsonObject obj, string reason) =>
            EventsOf(obj).Where(e => e.Str("reason") == reason).MaxBy(When);

        public JsonObject? LatestWarning(JsonObject obj) => EventsOf(obj).Where(e => e.Str("type") == "Warning").MaxBy(When);

        private List<JsonObject> EventsOf(JsonObject obj) =>
            _events.TryGetValue((obj.Str("kind") ?? string.Empty, NullIfEmpty(obj.Namespace()), obj.Name()), out var list) ? list : [];

        private static string When(JsonObject e) =>
            e.Str("lastTimestamp") ?? e.Str("eventTime") ?? e.Str("firstTimestamp") ?? e.Str("metadata", "creationTimestamp") ?? string.Empty;

        /// <summary>The DaemonSet or Deployment a pod (or ReplicaSet) belongs to, or the object itself.</summary>
        public JsonObject TopOwner(JsonObject obj)
        {
            var current = obj;
            for (var depth = 0; depth < 3; depth++)
            {
                var controller = current.Arr("metadata", "ownerReferences").FirstOrDefault(r => r?["controller"]?.GetValue<bool>() == true);
                var kind = controller.Str("kind");
                var name = controller.Str("name");
                var next = kind switch
                {
                    "DaemonSet" => Snapshot.DaemonSets.FirstOrDefault(d => d.Name() == name && d.Namespace() == current.Namespace()),
                    "ReplicaSet" => Snapshot.ReplicaSets.FirstOrDefault(d => d.Name() == name && d.Namespace() == current.Namespace()),
                    "Deployment" => Snapshot.Deployments.FirstOrDefault(d => d.Name() == name && d.Namespace() == current.Namespace()),
                    _ => null,
                };
                if (next is null)
                {
                    return current;
                }

                current = next;
            }

            return current;
        }

        /// <summary>The component state that rendered the workload (its state label), or null for objects not the operator's.</summary>
        public static string? StateOf(JsonObject workload) =>
            workload.Map("metadata", "labels").TryGetValue(Labels.State, out var state) ? state : null;

        public IEnumerable<JsonObject> PodsOfDeployment(JsonObject deployment) =>
            Snapshot.Pods.Where(p => p.Namespace() == deployment.Namespace() && TopOwner(p) is var owner &&
                                     owner.Str("kind") == "Deployment" && owner.Name() == deployment.Name());

        private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
    }
}
