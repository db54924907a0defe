using System.Text.Json.Nodes;
using NetworkOperator.Chart.Tests.Infrastructure;

namespace NetworkOperator.Chart.Tests;

[Trait("Category", "Slow")]
public class NicClusterPolicyTests
{
    [Fact]
    public async Task Policy_is_not_rendered_by_default()
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync("default-values.yaml");
        Assert.False(chart.Has("NicClusterPolicy"));
    }

    [Fact]
    public async Task Policy_is_rendered_from_values_verbatim_and_kept_on_uninstall()
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync("nic-cluster-policy-values.yaml");
        var policy = chart.One("NicClusterPolicy", "nic-cluster-policy");

        Assert.Equal("mellanox.com/v1alpha1", policy["apiVersion"]!.GetValue<string>());
        Assert.Equal("keep", RenderedChart.Annotation(policy, "helm.sh/resource-policy"));
        var values = YamlJson.ParseDocuments(await File.ReadAllTextAsync(Path.Combine(ChartWorkspace.SourceDirectory, "ci", "nic-cluster-policy-values.yaml"))).Single();
        Assert.True(JsonNode.DeepEquals(values["nicClusterPolicy"]!["spec"], policy["spec"]), policy["spec"]!.ToJsonString());
    }

    [Fact]
    public async Task The_rendered_policy_is_valid_against_the_charts_NicClusterPolicy_crd()
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync("nic-cluster-policy-values.yaml");
        var schema = CrdSchema.Load("mellanox.com_nicclusterpolicies.yaml");

        Assert.Empty(schema.Check(chart.One("NicClusterPolicy")));
    }

    [Fact]
    public async Task The_crd_check_catches_a_typo_and_a_wrong_type_in_values()
    {
        // Guards the check above: a misspelt field and a wrong type must be found.
        var chart = await RenderedChart.RenderWithValuesFileAsync("nic-cluster-policy-values.yaml",
            "--set", "nicClusterPolicy.spec.ofedDriver.imagee=x", "--set", "nicClusterPolicy.spec.ofedDriver.terminationGracePeriodSeconds=soon");
        var problems = CrdSchema.Load("mellanox.com_nicclusterpolicies.yaml").Check(chart.One("NicClusterPolicy"));

        Assert.Contains(problems, p => p.StartsWith(".spec.ofedDriver.imagee: unknown field", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("terminationGracePeriodSeconds", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Keep_false_lets_helm_delete_the_policy()
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync("nic-cluster-policy-values.yaml", "--set", "nicClusterPolicy.keep=false");
        Assert.Null(RenderedChart.Annotation(chart.One("NicClusterPolicy"), "helm.sh/resource-policy"));
    }

    [Fact]
    public async Task The_webhook_skips_the_charts_own_policy_which_is_created_before_the_operator_can_answer()
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync("nic-cluster-policy-values.yaml");
        var policy = chart.One("NicClusterPolicy");
        var instance = policy["metadata"]!["labels"]!["app.kubernetes.io/instance"]!.GetValue<string>();
        foreach (var webhook in chart.One("ValidatingWebhookConfiguration")["webhooks"]!.AsArray())
        {
            var expression = Assert.Single(webhook!["objectSelector"]!["matchExpressions"]!.AsArray())!;
            Assert.Equal("app.kubernetes.io/instance", expression["key"]!.GetValue<string>());
            Assert.Equal("NotIn", expression["operator"]!.GetValue<string>());
            Assert.Equal([instance], OperatorDeploymentTests.Strings(expression["values"]));
        }
    }

    [Fact]
    public async Task A_spec_that_is_not_a_map_fails_with_a_clear_message()
    {
        var result = await Helm.RunAsync("template", "x", ChartWorkspace.Directory, "--kube-version", "1.32.0",
            "--set", "nfd.enabled=false", "--set", "nicClusterPolicy.enabled=true", "--set", "nicClusterPolicy.spec=oops");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("nicClusterPolicy.spec must be a map", result.Output, StringComparison.Ordinal);
    }
}
