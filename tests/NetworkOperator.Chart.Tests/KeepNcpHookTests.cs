using NetworkOperator.Chart.Tests.Infrastructure;

namespace NetworkOperator.Chart.Tests;

/// <summary>The keep-ncp hook (value keepNCP), with upstream's object names.</summary>
[Trait("Category", "Slow")]
public class KeepNcpHookTests
{
    private const string JobName = "network-operator-keep-ncp";
    private const string ServiceAccountName = RenderedChart.ReleaseName + "-hooks-keep-ncp-sa";
    private const string ClusterRoleName = RenderedChart.ReleaseName + "-hooks-keep-ncp-role";
    private const string BindingName = RenderedChart.ReleaseName + "-hooks-scale-binding";

    [Fact]
    public async Task By_default_the_hook_runs_keep_ncp_with_the_operator_image_before_install_and_upgrade()
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync("default-values.yaml");
        var job = chart.One("Job", JobName);
        Assert.Equal("pre-install,pre-upgrade", RenderedChart.Annotation(job, "helm.sh/hook"));
        var podSpec = job["spec"]!["template"]!["spec"]!;
        var container = Assert.Single(podSpec["containers"]!.AsArray())!;
        Assert.Equal(OperatorDeploymentTests.OperatorContainer(chart, RenderedChart.ReleaseName)["image"]!.GetValue<string>(), container["image"]!.GetValue<string>());
        Assert.Equal(["network-operator"], OperatorDeploymentTests.Strings(container["command"]));
        Assert.Equal(["keep-ncp"], OperatorDeploymentTests.Strings(container["args"]));
        Assert.Equal(ServiceAccountName, podSpec["serviceAccountName"]!.GetValue<string>());

        foreach (var (kind, name) in new[] { ("ServiceAccount", ServiceAccountName), ("ClusterRole", ClusterRoleName), ("ClusterRoleBinding", BindingName) })
        {
            var o = chart.One(kind, name);
            Assert.Equal("pre-install,pre-upgrade", RenderedChart.Annotation(o, "helm.sh/hook"));
            Assert.True(CrdHookTests.Weight(o) < CrdHookTests.Weight(job), $"{kind} {name} must be created before the Job");
        }

        // Only what the command does: read and patch the one policy.
        var rule = Assert.Single(chart.One("ClusterRole", ClusterRoleName)["rules"]!.AsArray())!;
        Assert.Equal(["mellanox.com"], OperatorDeploymentTests.Strings(rule["apiGroups"]));
        Assert.Equal(["nicclusterpolicies"], OperatorDeploymentTests.Strings(rule["resources"]));
        Assert.Equal(["nic-cluster-policy"], OperatorDeploymentTests.Strings(rule["resourceNames"]));
        Assert.Equal(["get", "patch"], OperatorDeploymentTests.Strings(rule["verbs"]));
        var binding = chart.One("ClusterRoleBinding", BindingName);
        Assert.Equal(ClusterRoleName, binding["roleRef"]!["name"]!.GetValue<string>());
        Assert.Equal(ServiceAccountName, binding["subjects"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(RenderedChart.Namespace, binding["subjects"]![0]!["namespace"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(false, false)]
    public async Task Each_hook_group_follows_its_own_value(bool keepNcp, bool upgradeCrds)
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync("default-values.yaml",
            "--set", $"keepNCP={keepNcp.ToString().ToLowerInvariant()}", "--set", $"upgradeCRDs={upgradeCrds.ToString().ToLowerInvariant()}");
        var names = chart.Objects.Select(RenderedChart.Name).ToHashSet(StringComparer.Ordinal);

        foreach (var name in new[] { JobName, ServiceAccountName, ClusterRoleName, BindingName })
        {
            Assert.Equal(keepNcp, names.Contains(name));
        }

        foreach (var name in new[] { "network-operator-upgrade-crd", "network-operator-hooks-sa", "network-operator-hooks-role", "network-operator-hooks-binding" })
        {
            Assert.Equal(upgradeCrds, names.Contains(name));
        }
    }
}
