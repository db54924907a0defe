using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Schema;
using NetworkOperator.Simulator.Serialization;
using NetworkOperator.Simulator.Validation;

namespace NetworkOperator.Simulator.Admission.Quota;

/// <summary>
/// What an object costs a ResourceQuota, per the evaluators of kube-apiserver 1.32: pods (object count, compute
/// requests and limits unless terminal, hugepages and extended resources, scopes), services (node ports, load
/// balancers), persistent volume claims (storage) and every other kind by object count (<c>count/&lt;resource&gt;</c>,
/// plus the legacy names of configmaps, secrets, replicationcontrollers and resourcequotas).
/// </summary>
internal static class QuotaEvaluator
{
    private static readonly string[] PodResources =
    [
        "count/pods", "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage",
        "limits.cpu", "limits.memory", "limits.ephemeral-storage", "pods",
    ];

    // Quota of these requires every container to state them (a historical rule the server keeps).
    private static readonly string[] ValidationSet = ["cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory"];

    private static readonly string[] LegacyCountNames = ["configmaps", "secrets", "replicationcontrollers", "resourcequotas"];

    /// <summary>The name object count quota uses for a kind: count/pods, count/deployments.apps.</summary>
    public static string CountName(ResourceType type) => type.Group.Length == 0 ? $"count/{type.Plural}" : $"count/{type.Plural}.{type.Group}";

    public static bool IsPod(ResourceType type) => type is { Group: "", Plural: "pods" };

    /// <summary>The names among a quota's hard resources that this kind is charged against.</summary>
    public static List<string> MatchingResources(ResourceType type, IEnumerable<string> hard)
    {
        var names = hard.ToList();
        if (IsPod(type))
        {
            return [.. names.Where(n => PodResources.Contains(n) || IsHugePagesQuotaName(n) || IsExtendedQuotaName(n))];
        }

        var own = new List<string> { CountName(type) };
        switch (type.Group, type.Plural)
        {
            case ("", "services"):
                own.AddRange(["services", "services.nodeports", "services.loadbalancers"]);
                break;
            case ("", "persistentvolumeclaims"):
                own.AddRange(["persistentvolumeclaims", "requests.storage"]);
                break;
            case ("", var plural) when LegacyCountNames.Contains(plural):
                own.Add(plural);
                break;
        }

        return [.. names.Where(own.Contains)];
    }

    /// <summary>Whether the quota's scopes all select the object (kinds other than pods match no scope).</summary>
    public static bool MatchesScopes(ResourceType type, JsonObject obj, IReadOnlyList<JsonObject> scopeSelectors) =>
        scopeSelectors.All(selector => IsPod(type) && PodMatchesScope(obj, selector));

    /// <summary>The scope selectors of a quota: <c>spec.scopes</c> as Exists, then <c>spec.scopeSelector</c>'s expressions.</summary>
    public static List<JsonObject> ScopeSelectors(JsonObject quota)
    {
        var spec = quota["spec"] as JsonObject;
        var selectors = (spec?["scopes"] as JsonArray ?? []).Select(s => new JsonObject { ["scopeName"] = GoValue.Text(s), ["operator"] = "Exists" }).ToList();
        selectors.AddRange(((spec?["scopeSelector"] as JsonObject)?["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>());
        return selectors;
    }

    public static ResourceList Usage(ResourceType type, JsonObject obj)
    {
        var usage = new ResourceList { [CountName(type)] = One };
        var spec = obj["spec"] as JsonObject;
        switch (type.Group, type.Plural)
        {
            case ("", "pods"):
                if (!IsTerminal(obj))
                {
                    usage.Add(ComputeUsage(PodResourceTotals.Of(spec, "requests", withOverhead: true), PodResourceTotals.Of(spec, "limits", withOverhead: true)));
                }

                break;
            case ("", "services"):
                usage["services"] = One;
                var serviceType = spec?.GetString("type");
                if (serviceType is "NodePort" or "LoadBalancer")
                {
                    var ports = (spec?["ports"] as JsonArray ?? []).Count;
                    usage["services.nodeports"] = new Quantity(ports, QuantityFormat.DecimalSI);
                }

                if (serviceType == "LoadBalancer")
                {
                    usage["services.loadbalancers"] = One;
                }

                break;
            case ("", "persistentvolumeclaims"):
                usage["persistentvolumeclaims"] = One;
                if (Quantity.TryParse(GoValue.Text(((spec?["resources"] as JsonObject)?["requests"] as JsonObject)?["storage"])) is { } storage)
                {
                    usage["requests.storage"] = storage;
                }

                break;
            case ("", var plural) when LegacyCountNames.Contains(plural):
                usage[plural] = One;
                break;
        }

        return usage;
    }

    /// <summary>
    /// The containers that do not state a resource a covering quota tracks among cpu and memory:
    /// <c>must specify limits.cpu for: a,b; requests.memory for: a</c>, or null when all do.
    /// </summary>
    public static string? MissingComputeResources(JsonObject pod, IEnumerable<string> restricted)
    {
        var required = restricted.Where(ValidationSet.Contains).ToHashSet(StringComparer.Ordinal);
        var missing = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        var spec = pod["spec"] as JsonObject;
        foreach (var container in PodResourceTotals.Containers(spec, "containers").Concat(PodResourceTotals.Containers(spec, "initContainers")))
        {
            var resources = container["resources"] as JsonObject;
            var stated = ComputeUsage(ResourceList.From(resources?["requests"] as JsonObject), ResourceList.From(resources?["limits"] as JsonObject));
            foreach (var name in required.Where(r => !stated.ContainsKey(r)))
            {
                if (!missing.TryGetValue(name, out var names))
                {
                    missing[name] = names = new SortedSet<string>(StringComparer.Ordinal);
                }

                names.Add(container.GetString("name") ?? "");
            }
        }

        return missing.Count == 0 ? null : "must specify " + string.Join("; ", missing.Select(kv => $"{kv.Key} for: {string.Join(",", kv.Value)}"));
    }

    private static Quantity One => new(1, QuantityFormat.DecimalSI);

    private static bool IsTerminal(JsonObject pod)
    {
        var phase = (pod["status"] as JsonObject)?.GetString("phase");
        return phase is "Succeeded" or "Failed";
    }

    private static bool IsExtendedQuotaName(string name) =>
        name.StartsWith("requests.", StringComparison.Ordinal) && IsExtendedResourceName(name["requests.".Length..]);

    /// <summary>
    /// helper.IsExtendedResourceName: not native (unqualified, or in a kubernetes.io/ namespace), not requests.*
    /// itself, and still a qualified name once prefixed with requests.
    /// </summary>
    public static bool IsExtendedResourceName(string name) =>
        name.Contains('/', StringComparison.Ordinal) && !name.Contains("kubernetes.io/", StringComparison.Ordinal)
        && !name.StartsWith("requests.", StringComparison.Ordinal) && NameRules.QualifiedName("requests." + name).Count == 0;

    /// <summary>The hugepages names quota tracks: hugepages-&lt;size&gt; and requests.hugepages-&lt;size&gt;.</summary>
    public static bool IsHugePagesQuotaName(string name) =>
        name.StartsWith("hugepages-", StringComparison.Ordinal) || name.StartsWith("requests.hugepages-", StringComparison.Ordinal);

    /// <summary>The quota names a pod's requests and limits produce (podComputeUsageHelper).</summary>
    private static ResourceList ComputeUsage(ResourceList requests, ResourceList limits)
    {
        var result = new ResourceList { ["pods"] = One };
        foreach (var (resource, requestName, limitName) in new[]
        {
            ("cpu", "requests.cpu", "limits.cpu"), ("memory", "requests.memory", "limits.memory"),
            ("ephemeral-storage", "requests.ephemeral-storage", "limits.ephemeral-storage"),
        })
        {
            if (requests.TryGetValue(resource, out var request))
            {
                result[resource] = request;
                result[requestName] = request;
            }

            if (limits.TryGetValue(resource, out var limit))
            {
                result[limitName] = limit;
            }
        }

        foreach (var (name, request) in requests)
        {
            if (name.StartsWith("hugepages-", StringComparison.Ordinal))
            {
                result[name] = request;
                result["requests." + name] = request;
            }

            if (IsExtendedResourceName(name))
            {
                result["requests." + name] = request;
            }
        }

        return result;
    }

    private static bool PodMatchesScope(JsonObject pod, JsonObject selector)
    {
        var spec = pod["spec"] as JsonObject;
        switch (selector.GetString("scopeName"))
        {
            case "Terminating":
                return spec?["activeDeadlineSeconds"].GetInt64() >= 0;
            case "NotTerminating":
                return !(spec?["activeDeadlineSeconds"].GetInt64() >= 0);
            case "BestEffort":
                return ApiServer.QualityOfService.Of(pod) == "BestEffort";
            case "NotBestEffort":
                return ApiServer.QualityOfService.Of(pod) != "BestEffort";
            case "PriorityClass":
                {
                    var priorityClass = spec?.GetString("priorityClassName") ?? "";
                    var values = (selector["values"] as JsonArray ?? []).Select(GoValue.Text).ToList();
                    return selector.GetString("operator") switch
                    {
                        "Exists" => priorityClass.Length > 0,
                        "DoesNotExist" => priorityClass.Length == 0,
                        "In" => priorityClass.Length > 0 && values.Contains(priorityClass),
                        "NotIn" => priorityClass.Length == 0 || !values.Contains(priorityClass),
                        _ => false,
                    };
                }

            case "CrossNamespacePodAffinity":
                return UsesCrossNamespaceAffinity(spec?["affinity"] as JsonObject);
            default:
                return false;
        }
    }

    private static bool UsesCrossNamespaceAffinity(JsonObject? affinity)
    {
        foreach (var kind in new[] { "podAffinity", "podAntiAffinity" })
        {
            var terms = affinity?[kind] as JsonObject;
            var required = (terms?["requiredDuringSchedulingIgnoredDuringExecution"] as JsonArray ?? []).OfType<JsonObject>();
            var preferred = (terms?["preferredDuringSchedulingIgnoredDuringExecution"] as JsonArray ?? []).OfType<JsonObject>()
                .Select(w => w["podAffinityTerm"] as JsonObject).OfType<JsonObject>();
            if (required.Concat(preferred).Any(t => t["namespaces"] is JsonArray { Count: > 0 } || t["namespaceSelector"] is JsonObject))
            {
                return true;
            }
        }

        return false;
    }
}
