using NetworkOperator.Chart.Tests.Infrastructure;

namespace NetworkOperator.Chart.Tests;

public class CrdHookTests
{
    private const string HookName = RenderedChart.ReleaseName + "-upgrade-crd";

    [Fact]
    public async Task The_hook_applies_crds_with_the_operator_image_before_install_and_upgrade()
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync("default-values.yaml");
        var job = chart.One("Job", HookName);
        Assert.Equal("pre-install,pre-upgrade", RenderedChart.Annotation(job, "helm.sh/hook"));

        var podSpec = job["spec"]!["template"]!["spec"]!;
        var container = Assert.Single(podSpec["containers"]!.AsArray())!;
        Assert.Equal(OperatorDeploymentTests.OperatorContainer(chart, RenderedChart.ReleaseName)["image"]!.GetValue<string>(), container["image"]!.GetValue<string>());
        Assert.Equal(["network-operator"], OperatorDeploymentTests.Strings(container["command"]));
        Assert.Equal(["crds", "--apply"], OperatorDeploymentTests.Strings(container["args"]));
        Assert.Equal(HookName, podSpec["serviceAccountName"]!.GetValue<string>());

        // Its ServiceAccount, ClusterRole and binding are hooks too, created first (lower weight).
        var jobWeight = int.Parse(RenderedChart.Annotation(job, "helm.sh/hook-weight")!, System.Globalization.CultureInfo.InvariantCulture);
        foreach (var kind in new[] { "ServiceAccount", "ClusterRole", "ClusterRoleBinding" })
        {
            var o = chart.One(kind, HookName);
            Assert.Equal("pre-install,pre-upgrade", RenderedChart.Annotation(o, "helm.sh/hook"));
            Assert.True(int.Parse(RenderedChart.Annotation(o, "helm.sh/hook-weight")!, System.Globalization.CultureInfo.InvariantCulture) < jobWeight);
        }

        var binding = chart.One("ClusterRoleBinding", HookName);
        Assert.Equal(HookName, binding["roleRef"]!["name"]!.GetValue<string>());
        Assert.Equal(HookName, binding["subjects"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpgradeCRDs_false_renders_no_hook()
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync("custom-image-values.yaml");
        Assert.False(chart.Has("Job"));
        Assert.DoesNotContain(chart.Objects, o => RenderedChart.Annotation(o, "helm.sh/hook") is not null);
    }
}
