using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Admission;
using NetworkOperator.Simulator.Serialization;
using static NetworkOperator.Simulator.Defaulting.PodSpecDefaults;

namespace NetworkOperator.Simulator.Defaulting;

/// <summary>
/// Defaulting of built-in kinds as the real server's scheme defaulters do on every write: workload strategies and
/// history limits, pod template fields, service fields (with an allocated cluster IP), namespace name label, ...
/// </summary>
internal sealed class BuiltInDefaults : IAdmissionStep
{
    private readonly ServiceIpAllocator _ips = new();

    public bool IsMutating => true;

    public ValueTask AdmitAsync(AdmissionContext context, CancellationToken cancellationToken)
    {
        if (context.Type.IsCustom || context.Operation == "DELETE")
        {
            return ValueTask.CompletedTask;
        }

        var obj = context.Object;
        var spec = obj["spec"] as JsonObject;
        switch (context.Type.Group, context.Type.Kind)
        {
            case ("", "Pod") when spec is not null:
                PodSpecDefaults.Apply(spec, isPod: true);
                break;
            case ("", "Namespace"):
                {
                    var labels = obj.Metadata()["labels"] as JsonObject ?? new JsonObject();
                    labels["kubernetes.io/metadata.name"] = context.Name;
                    obj.Metadata()["labels"] = labels;
                    break;
                }

            case ("", "Service") when spec is not null:
                Service(spec, context.OldObject?["spec"] as JsonObject);
                break;
            case ("", "LimitRange") when spec is not null:
                LimitRangeItems(spec);
                break;
            case ("", "Secret"):
                SetIfMissing(obj, "type", "Opaque");
                break;
            case ("", "PersistentVolumeClaim") when spec is not null:
                SetIfMissing(spec, "volumeMode", "Filesystem");
                break;
            case ("", "PersistentVolume") when spec is not null:
                SetIfMissing(spec, "persistentVolumeReclaimPolicy", "Retain");
                SetIfMissing(spec, "volumeMode", "Filesystem");
                break;
            case ("", "ReplicationController") when spec is not null:
                {
                    // As SetDefaults_ReplicationController: the template's labels stand in for an empty selector and
                    // empty object labels.
                    if ((spec["template"] as JsonObject)?.Metadata()["labels"] is JsonObject { Count: > 0 } labels)
                    {
                        if (spec["selector"] is not JsonObject { Count: > 0 })
                        {
                            spec["selector"] = labels.DeepClone();
                        }

                        if (obj.Metadata()["labels"] is not JsonObject { Count: > 0 })
                        {
                            obj.Metadata()["labels"] = labels.DeepClone();
                        }
                    }

                    SetIfMissing(spec, "replicas", 1);
                    Template(spec);
                    break;
                }

            case ("scheduling.k8s.io", "PriorityClass"):
                SetIfMissing(obj, "preemptionPolicy", "PreemptLowerPriority");
                break;
            case ("apps", "DaemonSet") when spec is not null:
                {
                    var strategy = Object(spec, "updateStrategy");
                    SetIfMissing(strategy, "type", "RollingUpdate");
                    if (strategy.GetString("type") == "RollingUpdate")
                    {
                        var rolling = Object(strategy, "rollingUpdate");
                        SetIfMissing(rolling, "maxUnavailable", 1);
                        SetIfMissing(rolling, "maxSurge", 0);
                    }

                    SetIfMissing(spec, "revisionHistoryLimit", 10);
                    Template(spec);
                    break;
                }

            case ("apps", "Deployment") when spec is not null:
                {
                    SetIfMissing(spec, "replicas", 1);
                    var strategy = Object(spec, "strategy");
                    SetIfMissing(strategy, "type", "RollingUpdate");
                    if (strategy.GetString("type") == "RollingUpdate")
                    {
                        var rolling = Object(strategy, "rollingUpdate");
                        SetIfMissing(rolling, "maxUnavailable", "25%");
                        SetIfMissing(rolling, "maxSurge", "25%");
                    }

                    SetIfMissing(spec, "revisionHistoryLimit", 10);
                    SetIfMissing(spec, "progressDeadlineSeconds", 600);
                    Template(spec);
                    break;
                }

            case ("apps", "ReplicaSet") when spec is not null:
                SetIfMissing(spec, "replicas", 1);
                Template(spec);
                break;
            case ("apps", "StatefulSet") when spec is not null:
                {
                    SetIfMissing(spec, "replicas", 1);
                    SetIfMissing(spec, "podManagementPolicy", "OrderedReady");
                    var strategy = Object(spec, "updateStrategy");
                    SetIfMissing(strategy, "type", "RollingUpdate");
                    if (strategy.GetString("type") == "RollingUpdate")
                    {
                        SetIfMissing(Object(strategy, "rollingUpdate"), "partition", 0);
                    }

                    SetIfMissing(spec, "revisionHistoryLimit", 10);
                    var retention = Object(spec, "persistentVolumeClaimRetentionPolicy");
                    SetIfMissing(retention, "whenDeleted", "Retain");
                    SetIfMissing(retention, "whenScaled", "Retain");
                    Template(spec);
                    break;
                }

            case ("batch", "Job") when spec is not null:
                Job(spec);
                break;
            case ("batch", "CronJob") when spec is not null:
                SetIfMissing(spec, "concurrencyPolicy", "Allow");
                SetIfMissing(spec, "suspend", false);
                SetIfMissing(spec, "successfulJobsHistoryLimit", 3);
                SetIfMissing(spec, "failedJobsHistoryLimit", 1);
                if ((spec["jobTemplate"] as JsonObject)?["spec"] is JsonObject jobSpec)
                {
                    Job(jobSpec);
                }

                break;
            case ("rbac.authorization.k8s.io", "RoleBinding" or "ClusterRoleBinding"):
                foreach (var subject in (obj["subjects"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    SetIfMissing(subject, "apiGroup", subject.GetString("kind") == "ServiceAccount" ? "" : "rbac.authorization.k8s.io");
                }

                break;
            case ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration" or "MutatingWebhookConfiguration"):
                foreach (var webhook in (obj["webhooks"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    SetIfMissing(webhook, "failurePolicy", "Fail");
                    SetIfMissing(webhook, "matchPolicy", "Equivalent");
                    SetIfMissing(webhook, "namespaceSelector", new JsonObject());
                    SetIfMissing(webhook, "objectSelector", new JsonObject());
                    SetIfMissing(webhook, "timeoutSeconds", 10);
                    if (context.Type.Kind == "MutatingWebhookConfiguration")
                    {
                        SetIfMissing(webhook, "reinvocationPolicy", "Never");
                    }

                    if ((webhook["clientConfig"] as JsonObject)?["service"] is JsonObject service)
                    {
                        SetIfMissing(service, "port", 443);
                    }

                    foreach (var rule in (webhook["rules"] as JsonArray ?? []).OfType<JsonObject>())
                    {
                        SetIfMissing(rule, "scope", "*");
                    }
                }

                break;
            case ("apiextensions.k8s.io", "CustomResourceDefinition") when spec is not null:
                SetIfMissing(spec, "conversion", new JsonObject { ["strategy"] = "None" });
                break;
        }

        return ValueTask.CompletedTask;
    }

    // A Container item's default limit falls back to its max, its default request to the default limit, then to its min.
    private static void LimitRangeItems(JsonObject spec)
    {
        foreach (var item in (spec["limits"] as JsonArray ?? []).OfType<JsonObject>().Where(i => i.GetString("type") == "Container"))
        {
            var defaults = Object(item, "default");
            var defaultRequests = Object(item, "defaultRequest");
            foreach (var (source, target) in new[] { ("max", defaults), ("default", defaultRequests), ("min", defaultRequests) })
            {
                foreach (var (name, value) in (item[source] as JsonObject ?? []).ToList())
                {
                    if (!target.ContainsKey(name) && value is not null)
                    {
                        target[name] = value.DeepClone();
                    }
                }
            }

            // Empty maps are not serialized (omitempty).
            foreach (var key in new[] { "default", "defaultRequest" })
            {
                if (item[key] is JsonObject { Count: 0 })
                {
                    item.Remove(key);
                }
            }
        }
    }

    private static void Template(JsonObject spec)
    {
        if ((spec["template"] as JsonObject)?["spec"] is JsonObject podSpec)
        {
            PodSpecDefaults.Apply(podSpec, isPod: false);
        }
    }

    private static void Job(JsonObject spec)
    {
        SetIfMissing(spec, "parallelism", 1);
        SetIfMissing(spec, "completions", 1);
        SetIfMissing(spec, "backoffLimit", 6);
        SetIfMissing(spec, "completionMode", "NonIndexed");
        SetIfMissing(spec, "suspend", false);
        SetIfMissing(spec, "podReplacementPolicy", "TerminatingOrFailed");
        Template(spec);
    }

    private void Service(JsonObject spec, JsonObject? oldSpec)
    {
        SetIfMissing(spec, "type", "ClusterIP");
        SetIfMissing(spec, "sessionAffinity", "None");
        var type = spec.GetString("type");
        if (type == "ExternalName")
        {
            return;
        }

        // Allocated values survive updates that omit them, as the real service registry keeps them.
        if (spec["clusterIP"] is null && oldSpec?["clusterIP"] is { } oldIp)
        {
            spec["clusterIP"] = oldIp.DeepClone();
        }

        if (spec["clusterIP"] is null)
        {
            spec["clusterIP"] = _ips.Next();
        }

        SetIfMissing(spec, "clusterIPs", new JsonArray(spec["clusterIP"]!.DeepClone()));
        if (spec.GetString("clusterIP") != "None")
        {
            SetIfMissing(spec, "ipFamilies", new JsonArray("IPv4"));
            SetIfMissing(spec, "ipFamilyPolicy", "SingleStack");
        }
        else
        {
            SetIfMissing(spec, "ipFamilies", new JsonArray("IPv4"));
            SetIfMissing(spec, "ipFamilyPolicy", "SingleStack");
        }

        SetIfMissing(spec, "internalTrafficPolicy", "Cluster");
        if (type is "NodePort" or "LoadBalancer")
        {
            SetIfMissing(spec, "externalTrafficPolicy", "Cluster");
        }

        var oldPorts = (oldSpec?["ports"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        foreach (var port in (spec["ports"] as JsonArray ?? []).OfType<JsonObject>())
        {
            SetIfMissing(port, "protocol", "TCP");
            if (port["targetPort"] is null && port["port"] is { } p)
            {
                port["targetPort"] = p.DeepClone();
            }

            if (type is "NodePort" or "LoadBalancer" && port["nodePort"] is null)
            {
                var previous = oldPorts.FirstOrDefault(o => o["port"].GetInt64() == port["port"].GetInt64())?["nodePort"];
                port["nodePort"] = previous?.DeepClone() ?? _ips.NextNodePort();
            }
        }
    }

    private static JsonObject Object(JsonObject parent, string key)
    {
        if (parent[key] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        parent[key] = created;
        return created;
    }
}
