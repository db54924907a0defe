using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Primitives;
using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Schema;
using NetworkOperator.Simulator.Serialization;
using NetworkOperator.Simulator.Storage;
using NetworkOperator.Simulator.Validation;
using NetworkOperator.Simulator.Watch;

namespace NetworkOperator.Simulator.Tables;

/// <summary>
/// meta.k8s.io/v1 Table answers for `kubectl get`: the per-kind columns the real server prints (pods, nodes,
/// daemonsets, deployments, ...; families of kinds in the *Columns files beside this one) and CRD
/// additionalPrinterColumns; each row carries what the request's <c>includeObject</c> asks for: the metadata (the
/// default), the whole object (`kubectl get --sort-by` sorts on it), or nothing.
/// </summary>
internal sealed partial class TableRenderer
{
    private readonly TimeProvider _time;

    // One identity per includeObject policy: a watch event caches the line of one renderer, so each policy is its own.
    private readonly object[] _watchLineOwners = [new(), new(), new()];

    public TableRenderer(TimeProvider time)
    {
        _time = time;
    }

    public static bool WantsTable(StringValues accept) =>
        accept.Any(a => a is not null && a.Contains("as=Table", StringComparison.Ordinal));

    /// <summary>The request's <c>includeObject</c>, refused as the real server's asTable does when it is none of the three.</summary>
    public static IncludeObject IncludeObjectOf(StringValues value) => value.ToString() switch
    {
        "" or "Metadata" => IncludeObject.Metadata,
        "Object" => IncludeObject.Object,
        "None" => IncludeObject.None,
        var other => throw ApiErrors.BadRequest($"unrecognized includeObject value: \"{other}\""),
    };

    public string Render(ResourceType type, IReadOnlyList<StoredObject> items, long resourceVersion, string? continueToken,
        IncludeObject include)
    {
        var columns = ColumnsOf(type);
        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) };
        if (continueToken is not null)
        {
            metadata["continue"] = continueToken;
        }

        var rows = new JsonArray();
        foreach (var item in items)
        {
            rows.Add(Row(columns, item.ToJsonObject(), include));
        }

        return Table(columns, metadata, rows).ToJsonString(SimulatorJson.Compact);
    }

    /// <summary>One object that is not stored as such (a subresource's view of one, such as a Scale).</summary>
    public string Render(ResourceType type, JsonObject obj, IncludeObject include)
    {
        var columns = ColumnsOf(type);
        var metadata = new JsonObject { ["resourceVersion"] = obj.Metadata().GetString("resourceVersion") };
        return Table(columns, metadata, new JsonArray(Row(columns, obj, include))).ToJsonString(SimulatorJson.Compact);
    }

    /// <summary>A watch event whose object is a one-row Table (what kubectl get -w expects when it asked for tables).</summary>
    public byte[] WatchLine(ResourceType type, WatchDelivery delivery, IncludeObject include) =>
        delivery.Event.GetAlternateLine(_watchLineOwners[(int)include], delivery.Type, () =>
        {
            var columns = ColumnsOf(type);
            var metadata = new JsonObject { ["resourceVersion"] = delivery.Event.ResourceVersion.ToString(CultureInfo.InvariantCulture) };
            var table = Table(columns, metadata, new JsonArray(Row(columns, delivery.Event.Object.ToJsonObject(), include)));
            return WatchEvent.BuildLine(delivery.Type, JsonSerializer.SerializeToUtf8Bytes(table, SimulatorJson.Compact));
        });

    private static JsonObject Table(IReadOnlyList<Column> columns, JsonObject metadata, JsonArray rows) => new()
    {
        ["kind"] = "Table",
        ["apiVersion"] = "meta.k8s.io/v1",
        ["metadata"] = metadata,
        ["columnDefinitions"] = new JsonArray(columns.Select(c => (JsonNode)new JsonObject
        {
            ["name"] = c.Name,
            ["type"] = c.Type,
            ["format"] = c.Format,
            ["description"] = c.Description,
            ["priority"] = c.Priority,
        }).ToArray()),
        ["rows"] = rows,
    };

    private JsonObject Row(IReadOnlyList<Column> columns, JsonObject obj, IncludeObject include)
    {
        var cells = new JsonArray();
        foreach (var column in columns)
        {
            cells.Add(column.Cell(obj, this));
        }

        return new JsonObject
        {
            ["cells"] = cells,
            ["object"] = include switch
            {
                IncludeObject.Object => obj,
                IncludeObject.None => null,
                _ => new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = obj["metadata"]?.DeepClone(),
                },
            },
        };
    }

    private string Since(string? timestamp) =>
        Timestamp.Parse(timestamp) is { } at ? HumanDuration.Format(_time.GetUtcNow() - at) : "<unknown>";

    private string Age(JsonObject obj) =>
        Timestamp.Parse(obj.Metadata().GetString("creationTimestamp")) is { } created
            ? HumanDuration.Format(_time.GetUtcNow() - created)
            : "<unknown>";

    private sealed record Column(string Name, string Type, Func<JsonObject, TableRenderer, JsonNode?> Cell, int Priority = 0,
        string Format = "", string Description = "")
    {
    }

    private static readonly Column NameColumn = new("Name", "string", (o, _) => o.Metadata().GetString("name"), Format: "name",
        Description: "Name must be unique within a namespace.");

    private static readonly Column AgeColumn = new("Age", "string", (o, r) => r.Age(o),
        Description: "CreationTimestamp is a timestamp representing the server time when this object was created.");

    // Kinds without a printer of their own (roles, cluster roles, limit ranges, CRDs) get the server's default table
    // convertor: the name and the creation time as an RFC 3339 date, which kubectl prints as is, not as an age.
    private static readonly IReadOnlyList<Column> NameCreatedAtColumns =
    [
        NameColumn,
        new("Created At", "date",
            (o, _) => Timestamp.Format(Timestamp.Parse(o.Metadata().GetString("creationTimestamp")) ?? DateTimeOffset.MinValue),
            Description: "CreationTimestamp is a timestamp representing the server time when this object was created."),
    ];

    private static IReadOnlyList<Column> ColumnsOf(ResourceType type)
    {
        if (type.IsCustom)
        {
            return CustomColumns(type);
        }

        return (type.Group, type.Kind) switch
        {
            ("", "Pod") => PodColumns,
            ("", "Node") => NodeColumns,
            ("", "Namespace") => [NameColumn, new("Status", "string", (o, _) => S(o, "status.phase")), AgeColumn],
            ("", "ConfigMap") => [NameColumn, new("Data", "integer", (o, _) => Count(o["data"]) + Count(o["binaryData"])), AgeColumn],
            ("", "Secret") => [NameColumn, new("Type", "string", (o, _) => o.GetString("type") ?? "Opaque"),
                new("Data", "integer", (o, _) => Count(o["data"])), AgeColumn],
            ("", "Service") => ServiceColumns,
            ("", "ServiceAccount") => [NameColumn, new("Secrets", "integer", (o, _) => Count(o["secrets"])), AgeColumn],
            ("apps", "DaemonSet") => DaemonSetColumns,
            ("apps", "Deployment") => DeploymentColumns,
            ("apps", "ReplicaSet") => WorkloadColumns.ReplicaSet,
            ("autoscaling", "Scale") => WorkloadColumns.Scale,
            ("apiextensions.k8s.io", "CustomResourceDefinition") => NameCreatedAtColumns,
            ("", "Event") => EventColumns.Of(EventColumns.Core),
            ("events.k8s.io", "Event") => EventColumns.Of(EventColumns.EventsV1),
            ("coordination.k8s.io", "Lease") => [NameColumn, new("Holder", "string", (o, _) => S(o, "spec.holderIdentity")), AgeColumn],
            ("", "ReplicationController") => WorkloadColumns.ReplicationController,
            ("apps", "StatefulSet") => WorkloadColumns.StatefulSet,
            ("apps", "ControllerRevision") => WorkloadColumns.ControllerRevision,
            ("batch", "Job") => WorkloadColumns.Job,
            ("batch", "CronJob") => WorkloadColumns.CronJob,
            ("policy", "PodDisruptionBudget") => PolicyColumns.PodDisruptionBudget,
            ("", "ResourceQuota") => PolicyColumns.ResourceQuota,
            ("scheduling.k8s.io", "PriorityClass") => PolicyColumns.PriorityClass,
            ("", "LimitRange") => NameCreatedAtColumns,
            ("rbac.authorization.k8s.io", "Role" or "ClusterRole") => NameCreatedAtColumns,
            ("rbac.authorization.k8s.io", "RoleBinding") => RbacColumns.RoleBinding,
            ("rbac.authorization.k8s.io", "ClusterRoleBinding") => RbacColumns.ClusterRoleBinding,
            ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration" or "MutatingWebhookConfiguration") => WebhookColumns.Configuration,
            ("", "Endpoints") => NetworkColumns.Endpoints,
            ("discovery.k8s.io", "EndpointSlice") => NetworkColumns.EndpointSlice,
            ("networking.k8s.io", "NetworkPolicy") => NetworkColumns.NetworkPolicy,
            ("", "PersistentVolume") => StorageColumns.PersistentVolume,
            ("", "PersistentVolumeClaim") => StorageColumns.PersistentVolumeClaim,
            ("storage.k8s.io", "StorageClass") => StorageColumns.StorageClass,
            _ => [NameColumn, AgeColumn],
        };
    }

    private static List<Column> CustomColumns(ResourceType type)
    {
        if (type.PrinterColumns is not { Count: > 0 } printerColumns)
        {
            return [NameColumn, AgeColumn];
        }


        var columns = new List<Column> { NameColumn };
        foreach (var definition in printerColumns.OfType<JsonObject>())
        {
            var name = definition.GetString("name") ?? "";
            var columnType = definition.GetString("type") ?? "string";
            var jsonPath = definition.GetString("jsonPath") ?? "";
            var priority = (int)(definition["priority"].GetInt64() ?? 0);
            columns.Add(new Column(name, columnType, (o, r) =>
            {
                var values = SimpleJsonPath.Evaluate(o, jsonPath);
                if (values.Count == 0 || values[0] is null)
                {
                    return null;
                }

                if (columnType == "date")
                {
                    return Timestamp.Parse(SimpleJsonPath.Text(values[0])) is { } at ? HumanDuration.Format(r._time.GetUtcNow() - at) : null;
                }

                return values.Count == 1 ? values[0]!.DeepClone() : string.Join(",", values.Select(SimpleJsonPath.Text));
            }, priority, definition.GetString("format") ?? "", definition.GetString("description") ?? ""));
        }

        return columns;
    }

    /// <summary>
    /// Event columns as the real server's printer fills them (every column, kubectl hides priority 1 unless -o wide):
    /// the last timestamp falls back to the first, then to eventTime; a series overrides last time and count.
    /// </summary>
    private static class EventColumns
    {
        public static readonly EventFields Core = new("involvedObject", "message", "firstTimestamp", "lastTimestamp", "count", "source",
            "reportingComponent", "reportingInstance");

        public static readonly EventFields EventsV1 = new("regarding", "note", "deprecatedFirstTimestamp", "deprecatedLastTimestamp",
            "deprecatedCount", "deprecatedSource", "reportingController", "reportingInstance");

        public static IReadOnlyList<Column> Of(EventFields f) =>
        [
            new("Last Seen", "string", (o, r) => LastSeen(o, f, r),
                Description: "The time at which the most recent occurrence of this event was recorded."),
            new("Type", "string", (o, _) => o.GetString("type") ?? "", Description: "Type of this event (Normal, Warning), new types could be added in the future"),
            new("Reason", "string", (o, _) => o.GetString("reason") ?? "", Description: "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
            new("Object", "string", (o, _) =>
            {
                var target = o[f.Regarding] as JsonObject;
                var kind = (target?.GetString("kind") ?? "").ToLowerInvariant();
                var name = target?.GetString("name");
                return string.IsNullOrEmpty(name) ? kind : $"{kind}/{name}";
            }, Description: "The object that this event is about."),
            new("Subobject", "string", (o, _) => (o[f.Regarding] as JsonObject)?.GetString("fieldPath") ?? "", 1,
                Description: "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go-field access statement."),
            new("Source", "string", (o, _) =>
            {
                var source = o[f.Source] as JsonObject;
                var component = FirstNonEmpty(source?.GetString("component"), o.GetString(f.ReportingController));
                var host = FirstNonEmpty(source?.GetString("host"), o.GetString(f.ReportingInstance));
                return component.Length == 0 ? "<unknown>" : host.Length == 0 ? component : $"{component}, {host}";
            }, 1, Description: "The component reporting this event."),
            new("Message", "string", (o, _) => (o.GetString(f.Message) ?? "").Trim(), Description: "A human-readable description of the status of this operation."),
            new("First Seen", "string", (o, r) => FirstSeen(o, f, r), 1,
                Description: "The time at which the event was first recorded."),
            new("Count", "string", (o, _) =>
            {
                if (o["series"] is JsonObject series)
                {
                    return series["count"].GetInt64() ?? 0;
                }

                var count = o[f.Count].GetInt64() ?? 0;
                return count == 0 ? 1 : count;
            }, 1, Description: "The number of times this event has occurred."),
            new("Name", "string", (o, _) => o.Metadata().GetString("name"), 1, Format: "name",
                Description: "Name must be unique within a namespace."),
        ];

        private static string FirstSeen(JsonObject o, EventFields f, TableRenderer r) =>
            o.GetString(f.FirstTimestamp) is { Length: > 0 } first ? r.Since(first) : r.Since(o.GetString("eventTime"));

        private static string LastSeen(JsonObject o, EventFields f, TableRenderer r)
        {
            if ((o["series"] as JsonObject)?.GetString("lastObservedTime") is { Length: > 0 } observed)
            {
                return r.Since(observed);
            }

            return o.GetString(f.LastTimestamp) is { Length: > 0 } last ? r.Since(last) : FirstSeen(o, f, r);
        }

        private static string FirstNonEmpty(string? a, string? b) => !string.IsNullOrEmpty(a) ? a : b ?? "";
    }

    private sealed record EventFields(string Regarding, string Message, string FirstTimestamp, string LastTimestamp, string Count,
        string Source, string ReportingController, string ReportingInstance);

    private static readonly IReadOnlyList<Column> PodColumns =
    [
        NameColumn,
        new("Ready", "string", (o, _) =>
        {
            var total = ((o["spec"] as JsonObject)?["containers"] as JsonArray)?.Count ?? 0;
            var ready = ContainerStatuses(o).Count(c => c["ready"].GetBool() == true);
            return $"{ready}/{total}";
        }, Description: "The aggregate readiness state of this pod for accepting traffic."),
        new("Status", "string", (o, _) => PodStatus(o), Description: "The aggregate status of the containers in this pod."),
        new("Restarts", "string", (o, _) => ContainerStatuses(o).Sum(c => c["restartCount"].GetInt64() ?? 0).ToString(CultureInfo.InvariantCulture),
            Description: "The number of times the containers in this pod have been restarted."),
        AgeColumn,
        new("IP", "string", (o, _) => S(o, "status.podIP") ?? "<none>", 1),
        new("Node", "string", (o, _) => S(o, "spec.nodeName") ?? "<none>", 1),
        new("Nominated Node", "string", (o, _) => S(o, "status.nominatedNodeName") ?? "<none>", 1),
        new("Readiness Gates", "string", (o, _) => "<none>", 1),
    ];

    private static readonly IReadOnlyList<Column> NodeColumns =
    [
        NameColumn,
        new("Status", "string", (o, _) =>
        {
            var ready = Conditions(o).FirstOrDefault(c => c.GetString("type") == "Ready");
            var status = ready?.GetString("status") == "True" ? "Ready" : ready is null ? "Unknown" : "NotReady";
            return S(o, "spec.unschedulable") == "true" ? status + ",SchedulingDisabled" : status;
        }),
        new("Roles", "string", (o, _) =>
        {
            var roles = o.Metadata()["labels"] is JsonObject labels
                ? labels.Select(l => l.Key).Where(k => k.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal))
                    .Select(k => k["node-role.kubernetes.io/".Length..]).Where(r => r.Length > 0).Order(StringComparer.Ordinal).ToList()
                : [];
            return roles.Count == 0 ? "<none>" : string.Join(",", roles);
        }),
        AgeColumn,
        new("Version", "string", (o, _) => S(o, "status.nodeInfo.kubeletVersion") ?? ""),
        new("Internal-IP", "string", (o, _) => Address(o, "InternalIP"), 1),
        new("External-IP", "string", (o, _) => Address(o, "ExternalIP"), 1),
        new("OS-Image", "string", (o, _) => S(o, "status.nodeInfo.osImage") ?? "<unknown>", 1),
        new("Kernel-Version", "string", (o, _) => S(o, "status.nodeInfo.kernelVersion") ?? "<unknown>", 1),
        new("Container-Runtime", "string", (o, _) => S(o, "status.nodeInfo.containerRuntimeVersion") ?? "<unknown>", 1),
    ];

    private static readonly IReadOnlyList<Column> DaemonSetColumns =
    [
        NameColumn,
        new("Desired", "integer", (o, _) => N(o, "status.desiredNumberScheduled")),
        new("Current", "integer", (o, _) => N(o, "status.currentNumberScheduled")),
        new("Ready", "integer", (o, _) => N(o, "status.numberReady")),
        new("Up-to-date", "integer", (o, _) => N(o, "status.updatedNumberScheduled")),
        new("Available", "integer", (o, _) => N(o, "status.numberAvailable")),
        new("Node Selector", "string", (o, _) =>
            LabelSelectorText.OfLabels((((o["spec"] as JsonObject)?["template"] as JsonObject)?["spec"] as JsonObject)?["nodeSelector"] as JsonObject)),
        AgeColumn,
        new("Containers", "string", (o, _) => Containers(o, "name"), 1),
        new("Images", "string", (o, _) => Containers(o, "image"), 1),
        new("Selector", "string", (o, _) => Selector(o), 1),
    ];

    private static readonly IReadOnlyList<Column> DeploymentColumns =
    [
        NameColumn,
        new("Ready", "string", (o, _) => $"{N(o, "status.readyReplicas")}/{N(o, "spec.replicas", 1)}"),
        new("Up-to-date", "integer", (o, _) => N(o, "status.updatedReplicas")),
        new("Available", "integer", (o, _) => N(o, "status.availableReplicas")),
        AgeColumn,
        new("Containers", "string", (o, _) => Containers(o, "name"), 1),
        new("Images", "string", (o, _) => Containers(o, "image"), 1),
        new("Selector", "string", (o, _) => Selector(o), 1),
    ];

    private static readonly IReadOnlyList<Column> ServiceColumns =
    [
        NameColumn,
        new("Type", "string", (o, _) => S(o, "spec.type") ?? "ClusterIP"),
        new("Cluster-IP", "string", (o, _) => S(o, "spec.clusterIP") ?? "<none>"),
        new("External-IP", "string", (o, _) => "<none>"),
        new("Port(s)", "string", (o, _) =>
        {
            var ports = ((o["spec"] as JsonObject)?["ports"] as JsonArray)?.OfType<JsonObject>()
                .Select(p => $"{SimpleJsonPath.Text(p["port"])}/{p.GetString("protocol") ?? "TCP"}").ToList() ?? [];
            return ports.Count == 0 ? "<none>" : string.Join(",", ports);
        }),
        AgeColumn,
    ];

    private static string PodStatus(JsonObject pod)
    {
        if (pod.Metadata()["deletionTimestamp"] is not null)
        {
            return "Terminating";
        }

        var reason = S(pod, "status.reason") ?? S(pod, "status.phase") ?? "Unknown";
        foreach (var status in ContainerStatuses(pod))
        {
            var state = status["state"] as JsonObject;
            if ((state?["waiting"] as JsonObject)?.GetString("reason") is { Length: > 0 } waiting)
            {
                return waiting;
            }

            if ((state?["terminated"] as JsonObject)?.GetString("reason") is { Length: > 0 } terminated)
            {
                return terminated;
            }
        }

        return reason;
    }

    private static IEnumerable<JsonObject> ContainerStatuses(JsonObject pod) =>
        ((pod["status"] as JsonObject)?["containerStatuses"] as JsonArray)?.OfType<JsonObject>() ?? [];

    private static IEnumerable<JsonObject> Conditions(JsonObject obj) =>
        ((obj["status"] as JsonObject)?["conditions"] as JsonArray)?.OfType<JsonObject>() ?? [];

    private static string Address(JsonObject node, string type) =>
        ((node["status"] as JsonObject)?["addresses"] as JsonArray)?.OfType<JsonObject>()
        .FirstOrDefault(a => a.GetString("type") == type)?.GetString("address") ?? "<none>";

    private static string Containers(JsonObject obj, string field)
    {
        var containers = ((((obj["spec"] as JsonObject)?["template"] as JsonObject)?["spec"] as JsonObject)?["containers"] as JsonArray)
            ?.OfType<JsonObject>().Select(c => c.GetString(field) ?? "").ToList() ?? [];
        return string.Join(",", containers);
    }

    private static string Selector(JsonObject obj) => LabelSelectorText.Of((obj["spec"] as JsonObject)?["selector"] as JsonObject);

    private static string? S(JsonObject obj, string path) => obj.GetPathText(path);

    private static JsonNode? At(JsonObject obj, string path) => obj.GetPath(path);

    /// <summary>A resource.Quantity as its String() prints it: canonical, and "0" for one that is absent.</summary>
    private static string QuantityText(JsonNode? node)
    {
        if (node is null)
        {
            return "0";
        }

        var text = SimpleJsonPath.Text(node);
        return Quantity.TryParse(text)?.ToString() ?? text;
    }

    private static long N(JsonObject obj, string path, long fallback = 0)
    {
        JsonNode? node = obj;
        foreach (var part in path.Split('.'))
        {
            node = (node as JsonObject)?[part];
        }

        return node.GetInt64() ?? fallback;
    }

    private static int Count(JsonNode? node) => node switch
    {
        JsonObject o => o.Count,
        JsonArray a => a.Count,
        _ => 0,
    };
}
