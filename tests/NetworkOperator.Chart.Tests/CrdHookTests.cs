using NetworkOperator.Chart.Tests.Infrastructure;

namespace NetworkOperator.Chart.Tests;

[Trait("Category", "Slow")]
public class CrdHookTests
{
    // Upstream's names, so scripts (and upstream's chart tests) that look the hook's objects up find them.
    private const string JobName = "network-operator-upgrade-crd";
    private const string ServiceAccountName = RenderedChart.ReleaseName + "-hooks-sa";
    private const string ClusterRoleName = RenderedChart.ReleaseName + "-hooks-role";
    private const string BindingName = RenderedChart.ReleaseName + "-hooks-binding";
    private const string DependencyCrdsName = RenderedChart.ReleaseName + "-hooks-dependency-crds";

    [Fact]
    public async Task The_hook_applies_crds_with_the_operator_image_before_install_and_upgrade()
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync("default-values.yaml");
        var job = chart.One("Job", JobName);
        Assert.Equal("pre-install,pre-upgrade", RenderedChart.Annotation(job, "helm.sh/hook"));

        var podSpec = job["spec"]!["template"]!["spec"]!;
        var container = Assert.Single(podSpec["containers"]!.AsArray())!;
        Assert.Equal(OperatorDeploymentTests.OperatorContainer(chart, RenderedChart.ReleaseName)["image"]!.GetValue<string>(), container["image"]!.GetValue<string>());
        Assert.Equal(["network-operator"], OperatorDeploymentTests.Strings(container["command"]));
        // No dependency chart is enabled, so only the CRDs built into the image are applied.
        Assert.Equal(["crds", "--apply"], OperatorDeploymentTests.Strings(container["args"]));
        Assert.Equal(ServiceAccountName, podSpec["serviceAccountName"]!.GetValue<string>());
        Assert.False(chart.Has("ConfigMap"));

        // Its ServiceAccount, ClusterRole and binding are hooks too, created first (lower weight).
        var jobWeight = Weight(job);
        foreach (var (kind, name) in new[] { ("ServiceAccount", ServiceAccountName), ("ClusterRole", ClusterRoleName), ("ClusterRoleBinding", BindingName) })
        {
            var o = chart.One(kind, name);
            Assert.Equal("pre-install,pre-upgrade", RenderedChart.Annotation(o, "helm.sh/hook"));
            Assert.True(Weight(o) < jobWeight, $"{kind} {name} must be created before the Job");
        }

        var binding = chart.One("ClusterRoleBinding", BindingName);
        Assert.Equal(ClusterRoleName, binding["roleRef"]!["name"]!.GetValue<string>());
        Assert.Equal(ServiceAccountName, binding["subjects"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_hook_also_applies_the_crds_of_every_enabled_dependency_chart()
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync("default-values.yaml",
            "--set", "nfd.enabled=true", "--set", "sriovNetworkOperator.enabled=true");

        var configMap = chart.One("ConfigMap", DependencyCrdsName);
        Assert.True(Weight(configMap) < Weight(chart.One("Job", JobName)));
        var data = configMap["data"]!.AsObject();
        // One key per CRD file of each enabled dependency (the maintenance operator is off).
        Assert.Equal(["node-feature-discovery.standins.yaml", "sriov-network-operator.standins.yaml"], data.Select(p => p.Key).Order(StringComparer.Ordinal));
        var crds = YamlJson.ParseDocuments(data["sriov-network-operator.standins.yaml"]!.GetValue<string>());
        Assert.Equal(ChartWorkspace.StandInCrdName("sriov-network-operator"), RenderedChart.Name(Assert.Single(crds)));

        var podSpec = chart.One("Job", JobName)["spec"]!["template"]!["spec"]!;
        var container = Assert.Single(podSpec["containers"]!.AsArray())!;
        Assert.Equal(["crds", "--apply", "--crds-dir=/crds/dependencies"], OperatorDeploymentTests.Strings(container["args"]));
        var mount = Assert.Single(container["volumeMounts"]!.AsArray())!;
        Assert.Equal("/crds/dependencies", mount["mountPath"]!.GetValue<string>());
        var volume = Assert.Single(podSpec["volumes"]!.AsArray())!;
        Assert.Equal(mount["name"]!.GetValue<string>(), volume["name"]!.GetValue<string>());
        Assert.Equal(DependencyCrdsName, volume["configMap"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpgradeCRDs_false_renders_no_crd_hook()
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync("custom-image-values.yaml");
        Assert.DoesNotContain(chart.OfKind("Job"), j => RenderedChart.Name(j) == JobName);
        Assert.DoesNotContain(chart.Objects, o => RenderedChart.Name(o).Contains("-hooks-sa", StringComparison.Ordinal)
                                                  || RenderedChart.Name(o).Contains("-hooks-role", StringComparison.Ordinal)
                                                  || RenderedChart.Name(o).Contains("-hooks-binding", StringComparison.Ordinal));
    }

    internal static int Weight(System.Text.Json.Nodes.JsonObject o) =>
        int.Parse(RenderedChart.Annotation(o, "helm.sh/hook-weight")!, System.Globalization.CultureInfo.InvariantCulture);
}
