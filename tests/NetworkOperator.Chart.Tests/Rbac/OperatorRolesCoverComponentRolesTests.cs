using System.Text.Json.Nodes;
using k8s;
using NetworkOperator.Chart.Tests.Infrastructure;
using NetworkOperator.Rendering;
using NetworkOperator.Rendering.Preview;
using NetworkOperator.Simulator.Auth;

namespace NetworkOperator.Chart.Tests.Rbac;

/// <summary>
/// Kubernetes lets the operator create a Role or ClusterRole only with permissions it holds itself (RBAC escalation
/// prevention). Every component of every example policy (Kubernetes and OpenShift, cluster and node policies, the
/// networks) is rendered, and the simulator's escalation check — the one the embedded API server enforces — must find
/// each rendered role covered by the roles the chart binds to the operator.
/// </summary>
[Trait("Category", "Slow")]
public class OperatorRolesCoverComponentRolesTests
{
    public static TheoryData<string, bool> Examples => new()
    {
        { "nicclusterpolicy-full.yaml", false },
        { "nicclusterpolicy-openshift.yaml", true },
        { "nicclusterpolicy-global-config.yaml", false },
        { "nicnodepolicy-gpu-nodes.yaml", false },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task The_operator_holds_every_permission_of_every_role_it_renders(string example, bool openShift)
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync("default-values.yaml");
        var clusterRules = PolicyRule.ParseAll(chart.One("ClusterRole", RenderedChart.ReleaseName)["rules"]);
        var namespaceRules = PolicyRule.ParseAll(chart.One("Role", RenderedChart.ReleaseName)["rules"]);

        var input = RenderInput.Load([RepositoryRoot.Combine("examples", example)], RepositoryRoot.Combine("examples", "nodes.yaml"));
        Assert.Empty(input.Errors);
        var outcomes = ClusterRenderer.RenderAll(input.Resources, new ClusterFacts
        {
            ClusterType = openShift ? ClusterType.OpenShift : ClusterType.Kubernetes,
            Nodes = input.Nodes,
            ConfigMapKeys = input.ConfigMapKeys,
            OperatorNamespace = RenderedChart.Namespace,
            OfedInitContainerImage = "nvcr.io/nvidia/mellanox/network-operator-init-container:network-operator-v25.7.0",
        });
        Assert.All(outcomes, o => Assert.Null(o.Error));

        var checkedRoles = 0;
        var problems = new List<string>();
        foreach (var obj in outcomes.SelectMany(o => o.Objects))
        {
            if (obj.ApiVersion != "rbac.authorization.k8s.io/v1" || obj.Kind is not ("ClusterRole" or "Role"))
            {
                continue;
            }

            var json = JsonNode.Parse(KubernetesJson.Serialize(obj))!;
            var ns = obj.Metadata.NamespaceProperty ?? "";
            IReadOnlyList<PolicyRule> held = obj.Kind == "Role" && ns == RenderedChart.Namespace ? [.. clusterRules, .. namespaceRules] : clusterRules;
            var missing = EscalationCheck.Missing(held, PolicyRule.ParseAll(json["rules"]));
            checkedRoles++;
            if (missing.Count > 0)
            {
                problems.Add($"{obj.Kind} {(ns.Length > 0 ? ns + "/" : "")}{obj.Metadata.Name}:\n    " + string.Join("\n    ", missing.Select(r => r.CompactString())));
            }
        }

        Assert.True(checkedRoles > 0, $"{example} rendered no roles");
        Assert.True(problems.Count == 0,
            $"the API server would refuse these roles (\"attempting to grant RBAC permissions not currently held\"); add the permissions to {RbacRequirements.FilePath}:\n" +
            string.Join("\n", problems));
    }
}
