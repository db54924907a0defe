using NetworkOperator.Chart.Tests.Infrastructure;

namespace NetworkOperator.Chart.Tests;

/// <summary>Structural checks every rendering must pass, for every ci values file, with and without NFD's API.</summary>
[Trait("Category", "Slow")]
public class RenderedObjectsTests
{
    private static readonly HashSet<string> ClusterScopedKinds =
    [
        "ClusterRole", "ClusterRoleBinding", "ValidatingWebhookConfiguration", "NicClusterPolicy", "NodeFeatureRule",
        "CustomResourceDefinition",
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_object_is_well_formed_and_unique(string valuesFile, bool withNfdApi)
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync(valuesFile, withNfdApi ? ["--api-versions", RenderedChart.NodeFeatureRuleApi] : []);

        Assert.NotEmpty(chart.Objects);
        var keys = new List<string>();
        foreach (var o in chart.Objects)
        {
            var text = o.ToJsonString();
            Assert.False(string.IsNullOrEmpty(o["apiVersion"]?.GetValue<string>()), $"no apiVersion: {text}");
            Assert.False(string.IsNullOrEmpty(RenderedChart.Kind(o)), $"no kind: {text}");
            Assert.False(string.IsNullOrEmpty(RenderedChart.Name(o)), $"no metadata.name: {text}");
            Assert.True(RenderedChart.Name(o).Length <= 63, $"name longer than 63: {RenderedChart.Name(o)}");

            var ns = RenderedChart.NamespaceOf(o);
            if (ClusterScopedKinds.Contains(RenderedChart.Kind(o)))
            {
                Assert.Null(ns);
            }
            else
            {
                Assert.Equal(RenderedChart.Namespace, ns);
            }

            keys.Add($"{RenderedChart.Kind(o)}/{ns}/{RenderedChart.Name(o)}");
        }

        Assert.Empty(keys.GroupBy(k => k).Where(g => g.Count() > 1).Select(g => g.Key));
    }

    [Theory]
    [MemberData(nameof(ValuesFileNames))]
    public async Task Every_object_carries_the_release_labels(string valuesFile)
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync(valuesFile);
        Assert.All(chart.Objects, o =>
        {
            var labels = o["metadata"]!["labels"]!;
            Assert.Equal(RenderedChart.ReleaseName, labels["app.kubernetes.io/instance"]!.GetValue<string>());
            Assert.Equal("Helm", labels["app.kubernetes.io/managed-by"]!.GetValue<string>());
        });
    }

    [Fact]
    public async Task Defaults_render_the_operator_and_its_rbac_but_no_optional_objects()
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync("default-values.yaml");

        var kinds = chart.Objects.Select(RenderedChart.Kind).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["ClusterRole", "ClusterRoleBinding", "Deployment", "Job", "Role", "RoleBinding", "ServiceAccount"], kinds);
    }

    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        foreach (var file in ChartWorkspace.CiValuesFiles().Select(Path.GetFileName))
        {
            data.Add(file!, false);
            data.Add(file!, true);
        }

        return data;
    }

    public static TheoryData<string> ValuesFileNames() => new(ChartWorkspace.CiValuesFiles().Select(Path.GetFileName)!);
}
