using System.Text.Json.Nodes;
using NetworkOperator.Chart.Tests.Infrastructure;

namespace NetworkOperator.Chart.Tests.Rbac;

[Trait("Category", "Slow")]
public class RbacTests
{
    private static readonly string OperatorName = $"{RenderedChart.ReleaseName}";

    [Fact]
    public void Every_requirement_has_a_reason_and_known_verbs_and_no_wildcard()
    {
        var requirements = RbacRequirements.Load();
        Assert.NotEmpty(requirements.ClusterRules);
        foreach (var rule in requirements.ClusterRules.Concat(requirements.NamespaceRules))
        {
            var text = rule.ToJsonString();
            Assert.False(string.IsNullOrWhiteSpace(rule["reason"]?.GetValue<string>()), $"rule without a reason: {text}");
            Assert.NotEmpty(RbacRequirements.Strings(rule["apiGroups"]));
            Assert.NotEmpty(RbacRequirements.Strings(rule["resources"]));
            Assert.All(RbacRequirements.Strings(rule["verbs"]), v => Assert.True(v == "full" || RbacRequirements.KnownVerbs.Contains(v), $"unknown verb {v} in {text}"));
            AssertNoWildcard(rule);
        }
    }

    [Fact]
    public async Task The_ClusterRole_grants_exactly_the_cluster_requirements()
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync("default-values.yaml");
        var role = chart.One("ClusterRole", OperatorName);
        var granted = RbacRequirements.Expand(role["rules"]!.AsArray()!);
        var required = RbacRequirements.Load().ClusterPermissions;

        // At least what the operator needs...
        Assert.Empty(required.Except(granted).Select(p => p.ToString()));
        // ...and nothing more (least privilege: every grant has a documented reason).
        Assert.Empty(granted.Except(required).Select(p => p.ToString()));
    }

    [Fact]
    public async Task The_namespaced_Role_lives_in_the_release_namespace_and_grants_the_namespace_requirements()
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync("default-values.yaml");
        var role = chart.One("Role", OperatorName);
        Assert.Equal(RenderedChart.Namespace, RenderedChart.NamespaceOf(role));
        var granted = RbacRequirements.Expand(role["rules"]!.AsArray()!);
        var requirements = RbacRequirements.Load();
        Assert.Equal(requirements.NamespacePermissions.Select(p => p.ToString()).Order(StringComparer.Ordinal), granted.Select(p => p.ToString()).Order(StringComparer.Ordinal));
        Assert.True(requirements.Allows("coordination.k8s.io", "leases", "update", inOperatorNamespace: true));
        // Leader election is granted in the namespace; nothing grants Secrets, which the operator never touches.
        Assert.False(requirements.Allows("", "secrets", "get", inOperatorNamespace: true));
        Assert.False(requirements.Allows("", "secrets", "list", inOperatorNamespace: false));
    }

    [Theory]
    [MemberData(nameof(ValuesFiles))]
    public async Task No_rendered_role_grants_a_wildcard(string valuesFile)
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync(valuesFile);
        var roles = chart.OfKind("ClusterRole").Concat(chart.OfKind("Role")).ToList();
        Assert.NotEmpty(roles);
        foreach (var role in roles)
        {
            foreach (var rule in role["rules"]!.AsArray())
            {
                AssertNoWildcard(rule!);
            }
        }
    }

    [Fact]
    public async Task Bindings_grant_the_roles_to_the_operator_service_account_only()
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync("custom-image-values.yaml");
        var serviceAccount = chart.One("ServiceAccount", "nno");
        Assert.Equal(RenderedChart.Namespace, RenderedChart.NamespaceOf(serviceAccount));
        var deployment = chart.One("Deployment", "nno");
        Assert.Equal("nno", deployment["spec"]!["template"]!["spec"]!["serviceAccountName"]!.GetValue<string>());

        foreach (var (bindingKind, roleKind) in new[] { ("ClusterRoleBinding", "ClusterRole"), ("RoleBinding", "Role") })
        {
            var binding = chart.One(bindingKind, "nno");
            Assert.Equal(roleKind, binding["roleRef"]!["kind"]!.GetValue<string>());
            Assert.Equal("nno", binding["roleRef"]!["name"]!.GetValue<string>());
            Assert.NotNull(chart.One(roleKind, "nno"));
            var subject = Assert.Single(binding["subjects"]!.AsArray())!;
            Assert.Equal("ServiceAccount", subject["kind"]!.GetValue<string>());
            Assert.Equal("nno", subject["name"]!.GetValue<string>());
            Assert.Equal(RenderedChart.Namespace, subject["namespace"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task The_crd_hook_may_only_manage_crds()
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync("default-values.yaml");
        var role = chart.One("ClusterRole", $"{OperatorName}-hooks-role");
        var granted = RbacRequirements.Expand(role["rules"]!.AsArray()!);
        Assert.All(granted, p => Assert.Equal(("apiextensions.k8s.io", "customresourcedefinitions"), (p.ApiGroup, p.Resource)));
        // Server-side apply creates a missing CRD (create) and updates an existing one (patch).
        Assert.Contains(new Grant("apiextensions.k8s.io", "customresourcedefinitions", "create"), granted);
        Assert.Contains(new Grant("apiextensions.k8s.io", "customresourcedefinitions", "patch"), granted);
        Assert.DoesNotContain(granted, p => p.Verb == "delete");
    }

    public static TheoryData<string> ValuesFiles() => new(ChartWorkspace.CiValuesFiles().Select(Path.GetFileName)!);

    /// <summary>
    /// Never a wildcard group, verb, resource or resource name: the roles the operator renders for its components list
    /// their resources (as upstream's do), so the operator can grant them while holding only those resources.
    /// </summary>
    private static void AssertNoWildcard(JsonNode rule)
    {
        foreach (var key in new[] { "apiGroups", "resources", "verbs", "resourceNames" })
        {
            Assert.DoesNotContain(RbacRequirements.Strings(rule[key]), v => v.Contains('*', StringComparison.Ordinal));
        }
    }
}
