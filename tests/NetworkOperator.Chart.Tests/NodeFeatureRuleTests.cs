using NetworkOperator.Chart.Tests.Infrastructure;

namespace NetworkOperator.Chart.Tests;

[Trait("Category", "Slow")]
public class NodeFeatureRuleTests
{
    [Fact]
    public async Task Rule_is_rendered_only_when_the_cluster_serves_the_NodeFeatureRule_api()
    {
        var without = await RenderedChart.RenderWithValuesFileAsync("default-values.yaml");
        Assert.False(without.Has("NodeFeatureRule"));
        // The install notes tell the user why the NIC label will be missing.
        var dryRun = await Helm.RunAsync("install", "x", ChartWorkspace.Directory, "--dry-run=client", "--set", "nfd.enabled=false");
        Assert.True(dryRun.ExitCode == 0, dryRun.Output);
        Assert.Contains("nvidia-nics-rules rule was not deployed", dryRun.StdOut, StringComparison.Ordinal);

        var with = await RenderedChart.RenderWithValuesFileAsync("default-values.yaml", "--api-versions", RenderedChart.NodeFeatureRuleApi);
        var rule = with.One("NodeFeatureRule", "nvidia-nics-rules");
        Assert.Equal("nfd.k8s-sigs.io/v1alpha1", rule["apiVersion"]!.GetValue<string>());
        var r = Assert.Single(rule["spec"]!["rules"]!.AsArray())!;
        Assert.Equal("true", r["labels"]!["pci-15b3.present"]!.GetValue<string>());
        var feature = Assert.Single(r["matchFeatures"]!.AsArray())!;
        Assert.Equal("pci.device", feature["feature"]!.GetValue<string>());
        var expressions = feature["matchExpressions"]!;
        Assert.Equal("In", expressions["vendor"]!["op"]!.GetValue<string>());
        Assert.Equal(["15b3"], OperatorDeploymentTests.Strings(expressions["vendor"]!["value"]));
        Assert.Equal("In", expressions["class"]!["op"]!.GetValue<string>());
        Assert.Equal(["0200", "0207"], OperatorDeploymentTests.Strings(expressions["class"]!["value"]));
    }

    [Fact]
    public async Task Plain_helm_template_with_the_defaults_renders_the_rule_since_nfd_brings_its_crd()
    {
        var result = await Helm.RunAsync("template", RenderedChart.ReleaseName, ChartWorkspace.Directory, "--kube-version", "1.32.0");
        Assert.True(result.ExitCode == 0, result.Output);
        var rule = Assert.Single(YamlJson.ParseDocuments(result.StdOut), o => RenderedChart.Kind(o) == "NodeFeatureRule");
        Assert.Equal("nvidia-nics-rules", RenderedChart.Name(rule));
    }

    [Fact]
    public async Task Rule_is_not_rendered_when_switched_off_even_with_the_api()
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync("custom-image-values.yaml", "--api-versions", RenderedChart.NodeFeatureRuleApi);
        Assert.False(chart.Has("NodeFeatureRule"));
    }
}
