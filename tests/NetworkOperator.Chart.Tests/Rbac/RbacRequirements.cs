using System.Text.Json.Nodes;
using NetworkOperator.Chart.Tests.Infrastructure;

namespace NetworkOperator.Chart.Tests.Rbac;

/// <summary>
/// deploy/helm/network-operator/rbac-requirements.yaml: the permissions the operator needs, the single source the
/// chart renders its ClusterRole (clusterRules) and Role (namespaceRules) from. Controller tests can load it to check
/// that every API call they make is covered.
/// </summary>
public sealed class RbacRequirements
{
    public static readonly IReadOnlyList<string> FullVerbs = ["create", "delete", "get", "list", "patch", "update", "watch"];

    public static readonly IReadOnlySet<string> KnownVerbs =
        new HashSet<string>(FullVerbs, StringComparer.Ordinal) { "deletecollection", "use", "escalate", "bind", "impersonate" };

    private RbacRequirements(IReadOnlyList<JsonObject> clusterRules, IReadOnlyList<JsonObject> namespaceRules)
    {
        ClusterRules = clusterRules;
        NamespaceRules = namespaceRules;
    }

    public static string FilePath => Path.Combine(ChartWorkspace.SourceDirectory, "rbac-requirements.yaml");

    public IReadOnlyList<JsonObject> ClusterRules { get; }

    public IReadOnlyList<JsonObject> NamespaceRules { get; }

    public static RbacRequirements Load()
    {
        var doc = YamlJson.ParseDocuments(File.ReadAllText(FilePath)).Single();
        return new RbacRequirements(Rules(doc, "clusterRules"), Rules(doc, "namespaceRules"));
    }

    /// <summary>Cluster-wide permissions with the `full` shorthand expanded.</summary>
    public IReadOnlySet<Grant> ClusterPermissions => Expand(ClusterRules);

    /// <summary>Permissions granted only in the operator's namespace.</summary>
    public IReadOnlySet<Grant> NamespacePermissions => Expand(NamespaceRules);

    /// <summary>Whether the operator may perform verb on group/resource (namespaced: in its own namespace).</summary>
    public bool Allows(string apiGroup, string resource, string verb, bool inOperatorNamespace, string? resourceName = null)
    {
        bool Match(IReadOnlySet<Grant> set) =>
            set.Contains(new Grant(apiGroup, resource, verb)) ||
            (resourceName is not null && set.Contains(new Grant(apiGroup, resource, verb, resourceName)));
        return Match(ClusterPermissions) || (inOperatorNamespace && Match(NamespacePermissions));
    }

    /// <summary>Expands RBAC rules (requirements-file or rendered Kubernetes rules) into single permissions.</summary>
    public static IReadOnlySet<Grant> Expand(IEnumerable<JsonNode> rules)
    {
        var set = new HashSet<Grant>();
        foreach (var rule in rules)
        {
            var names = Strings(rule["resourceNames"]);
            foreach (var group in Strings(rule["apiGroups"]))
            {
                foreach (var resource in Strings(rule["resources"]))
                {
                    foreach (var verb in Strings(rule["verbs"]).SelectMany(v => v == "full" ? FullVerbs : [v]))
                    {
                        if (names.Count == 0)
                        {
                            set.Add(new Grant(group, resource, verb));
                        }
                        else
                        {
                            set.UnionWith(names.Select(n => new Grant(group, resource, verb, n)));
                        }
                    }
                }
            }
        }

        return set;
    }

    public static IReadOnlyList<string> Strings(JsonNode? node) =>
        node?.AsArray().Select(n => n?.GetValue<string>() ?? string.Empty).ToList() ?? [];

    private static List<JsonObject> Rules(JsonObject doc, string key) =>
        doc[key]?.AsArray().Select(n => n!.AsObject()).ToList() ?? [];
}
