using System.Text.Json.Nodes;
using NetworkOperator.Chart.Tests.Infrastructure;
using NetworkOperator.Chart.Tests.Install;
using NetworkOperator.Simulator.Diagnostics;

namespace NetworkOperator.Chart.Tests.Rbac;

/// <summary>
/// The API calls the controllers really make, taken from the simulated API server's audit log of the operator's
/// identity while it reconciles every component of the full example policy, the example networks and the driver
/// upgrade, must all be granted by the roles the installed chart bound to the operator's ServiceAccount.
/// </summary>
[Trait("Category", "Slow")]
[Collection(SimulatedInstallGroup.Name)]
public class OperatorRequestsTests(SimulatedInstall install)
{
    [Fact]
    public async Task Every_request_the_operator_made_is_granted_by_the_roles_bound_to_its_service_account()
    {
        await install.ReconciledAsync();
        var (clusterGrants, namespaceGrants) = BoundGrants();
        var requests = install.Cluster.Server.Audit.ByUser(install.OperatorUser);

        // The run covered what the operator does, not just start-up reads.
        void Made(string what, Func<AuditedRequest, bool> match) =>
            Assert.True(requests.Any(match), $"expected the operator to {what}; it made: {string.Join(", ", requests.Select(r => r.ToString()).Order(StringComparer.Ordinal))}");
        Made("create DaemonSets", r => r is { Verb: "create", Group: "apps", Resource: "daemonsets" });
        Made("watch NicClusterPolicies", r => r is { Verb: "watch", Group: "mellanox.com", Resource: "nicclusterpolicies" });
        Made("write a policy status", r => r is { Group: "mellanox.com", Subresource: "status" });
        Made("create NetworkAttachmentDefinitions", r => r is { Group: "k8s.cni.cncf.io", Resource: "network-attachment-definitions", Verb: "create" });
        Made("hold its leader-election Lease", r => r is { Group: "coordination.k8s.io", Resource: "leases", Namespace: SimulatedInstall.Namespace });
        Made("evict pods while draining nodes for the driver upgrade", r => r is { Verb: "create", Group: "", Resource: "pods", Subresource: "eviction" });
        Made("write its CA bundle into the webhook configuration", r => r is { Verb: "update", Group: "admissionregistration.k8s.io", Resource: "validatingwebhookconfigurations" });

        // The installed roles are what `helm template` renders from rbac-requirements.yaml for the same values.
        var rendered = await RenderedChart.RenderAsync(SimulatedInstall.Values);
        foreach (var kind in new[] { "ClusterRole", "Role" })
        {
            foreach (var installed in install.ManifestOfKind(kind))
            {
                var template = rendered.One(kind, RenderedChart.Name(installed));
                Assert.Equal(
                    RbacRequirements.Expand(template["rules"]!.AsArray()!).Select(g => g.ToString()).Order(StringComparer.Ordinal),
                    RbacRequirements.Expand(installed["rules"]!.AsArray()!).Select(g => g.ToString()).Order(StringComparer.Ordinal));
            }
        }

        // The check tells grants apart: Role rules count only in the release namespace, and nothing is granted by default.
        Assert.True(Granted(new AuditedRequest(install.OperatorUser, "update", "coordination.k8s.io", "leases", null, SimulatedInstall.Namespace), clusterGrants, namespaceGrants));
        Assert.False(Granted(new AuditedRequest(install.OperatorUser, "get", "", "secrets", null, SimulatedInstall.Namespace), clusterGrants, namespaceGrants));
        Assert.False(Granted(new AuditedRequest(install.OperatorUser, "create", "", "pods", "exec", SimulatedInstall.Namespace), clusterGrants, namespaceGrants));

        var missing = requests
            .Where(r => !Granted(r, clusterGrants, namespaceGrants))
            .Select(r => $"{r.Verb} {(r.Group.Length == 0 ? "core" : r.Group)}/{r.RbacResource}{(r.Namespace is null ? string.Empty : $" (namespace {r.Namespace})")}")
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(missing.Count == 0,
            $"the operator made {missing.Count} kinds of request its roles do not grant; add them to {RbacRequirements.FilePath} with a reason:\n  " +
            string.Join("\n  ", missing));
    }

    /// <summary>
    /// The other direction (least privilege): every resource each rule of rbac-requirements.yaml grants is used by
    /// some request of the operator (with one of the rule's verbs) during the full run, unless the rule says why not — a reason starting with "not called", for
    /// permissions held only so the operator may grant them to the components it deploys, or needed only in modes
    /// the run does not exercise.
    /// </summary>
    [Fact]
    public async Task Every_grant_in_the_requirements_is_used_by_some_request_or_says_why_not()
    {
        await install.ReconciledAsync();
        var requests = install.Cluster.Server.Audit.ByUser(install.OperatorUser);
        var requirements = RbacRequirements.Load();
        var unused = new List<string>();
        foreach (var (rules, namespaced) in new[] { (requirements.ClusterRules, false), (requirements.NamespaceRules, true) })
        {
            foreach (var rule in rules)
            {
                if (rule["reason"]?.GetValue<string>() is { } reason && reason.StartsWith("not called", StringComparison.Ordinal))
                {
                    continue;
                }

                // Per resource of the rule: some request used it with one of the rule's verbs. Verbs are not
                // checked one by one, since a run exercises create/update paths, not every cleanup path (delete).
                var grants = RbacRequirements.Expand([rule]);
                foreach (var resource in grants.Select(g => (g.ApiGroup, g.Resource)).Distinct())
                {
                    if (!grants.Where(g => (g.ApiGroup, g.Resource) == resource).Any(g => requests.Any(r => Uses(r, g, namespaced))))
                    {
                        unused.Add($"{(resource.ApiGroup.Length == 0 ? "core" : resource.ApiGroup)}/{resource.Resource} " +
                                   $"[{string.Join(", ", RbacRequirements.Strings(rule["verbs"]))}]{(namespaced ? " (release namespace)" : "")}");
                    }
                }
            }
        }

        Assert.True(unused.Count == 0,
            $"{unused.Count} grants in {RbacRequirements.FilePath} were not used by any request of the operator; drop them, " +
            "or move them to a rule whose reason starts with \"not called\" and says why they are held:\n  " + string.Join("\n  ", unused.Order(StringComparer.Ordinal)));
    }

    private static bool Uses(AuditedRequest request, Grant grant, bool namespaced)
    {
        if (request.Group != grant.ApiGroup || request.Verb != grant.Verb || (namespaced && request.Namespace != SimulatedInstall.Namespace))
        {
            return false;
        }

        return grant.Resource == request.RbacResource || grant.Resource == "*" ||
               (request.Subresource is not null && grant.Resource == "*/" + request.Subresource);
    }

    private static bool Granted(AuditedRequest request, IReadOnlySet<Grant> cluster, IReadOnlySet<Grant> inNamespace)
    {
        // A resource wildcard covers the group's resources; `*/sub` covers that subresource of each (as RBAC matches).
        string[] resources = request.Subresource is null ? [request.RbacResource, "*"] : [request.RbacResource, "*", "*/" + request.Subresource];
        return resources.Select(r => new Grant(request.Group, r, request.Verb)).Any(grant =>
            cluster.Contains(grant) || (request.Namespace == SimulatedInstall.Namespace && inNamespace.Contains(grant)));
    }

    /// <summary>The rules of the installed (Cluster)Roles whose bindings name the operator's ServiceAccount.</summary>
    private (IReadOnlySet<Grant> Cluster, IReadOnlySet<Grant> Namespace) BoundGrants()
    {
        var deployment = Assert.Single(install.ManifestOfKind("Deployment"));
        var serviceAccount = deployment["spec"]!["template"]!["spec"]!["serviceAccountName"]!.GetValue<string>();

        IReadOnlySet<Grant> Rules(string bindingKind, string roleKind)
        {
            var roleNames = install.ManifestOfKind(bindingKind)
                .Where(b => (b["subjects"]?.AsArray() ?? []).Any(s =>
                    s!["kind"]!.GetValue<string>() == "ServiceAccount" && s["name"]!.GetValue<string>() == serviceAccount &&
                    s["namespace"]?.GetValue<string>() == SimulatedInstall.Namespace))
                .Select(b => b["roleRef"]!)
                .Where(r => r["kind"]!.GetValue<string>() == roleKind)
                .Select(r => r["name"]!.GetValue<string>())
                .ToHashSet(StringComparer.Ordinal);
            Assert.NotEmpty(roleNames);
            var rules = install.ManifestOfKind(roleKind).Where(r => roleNames.Contains(RenderedChart.Name(r)))
                .SelectMany(r => r["rules"]?.AsArray() ?? []).Select(r => (JsonNode)r!);
            return RbacRequirements.Expand(rules);
        }

        return (Rules("ClusterRoleBinding", "ClusterRole"), Rules("RoleBinding", "Role"));
    }
}
