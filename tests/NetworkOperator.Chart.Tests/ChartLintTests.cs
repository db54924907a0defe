using NetworkOperator.Chart.Tests.Infrastructure;

namespace NetworkOperator.Chart.Tests;

[Trait("Category", "Slow")]
public class ChartLintTests
{
    [Theory]
    [MemberData(nameof(ValuesFiles))]
    public async Task Helm_lint_strict_passes_with_each_ci_values_file(string valuesFile)
    {
        var result = await Helm.RunAsync("lint", "--strict", ChartWorkspace.Directory, "-f",
            Path.Combine(ChartWorkspace.Directory, "ci", valuesFile), "--kube-version", "1.32.0");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("1 chart(s) linted, 0 chart(s) failed", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("[WARNING]", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Helm_lint_of_the_checked_in_chart_only_warns_about_the_undownloaded_dependencies()
    {
        var result = await Helm.RunAsync("lint", ChartWorkspace.SourceDirectory, "--set", "nfd.enabled=false");

        Assert.True(result.ExitCode == 0, result.Output);
        var warnings = result.Output.Split('\n').Where(l => l.Contains("[WARNING]", StringComparison.Ordinal)).ToList();
        var warning = Assert.Single(warnings);
        Assert.Contains("missing these dependencies", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("[ERROR]", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Helm_template_of_the_checked_in_chart_needs_every_declared_dependency_even_when_disabled()
    {
        // Documents helm 4's rule (docs/install.md, "Dependency charts"): conditions do not exempt missing charts.
        var result = await Helm.RunAsync("template", "x", ChartWorkspace.SourceDirectory, "--set", "nfd.enabled=false");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("missing in charts/ directory", result.Output, StringComparison.Ordinal);
        foreach (var (name, _, _) in ChartWorkspace.Dependencies())
        {
            Assert.Contains(name, result.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Chart_declares_the_three_dependency_charts_where_their_projects_publish_them()
    {
        var chart = YamlJson.ParseDocuments(File.ReadAllText(Path.Combine(ChartWorkspace.SourceDirectory, "Chart.yaml"))).Single();
        Assert.Equal("v2", chart["apiVersion"]!.GetValue<string>());
        Assert.Equal("network-operator", chart["name"]!.GetValue<string>());
        Assert.Equal(">= 1.32.0-0", chart["kubeVersion"]!.GetValue<string>());
        var dependencies = chart["dependencies"]!.AsArray().Select(d => d!).ToList();
        Assert.Equal(
            [
                ("node-feature-discovery", "node-feature-discovery", "https://kubernetes-sigs.github.io/node-feature-discovery/charts", "nfd.enabled"),
                ("sriov-network-operator-chart", "sriov-network-operator", "oci://ghcr.io/k8snetworkplumbingwg", "sriovNetworkOperator.enabled"),
                ("maintenance-operator-chart", "maintenance-operator-chart", "oci://ghcr.io/mellanox", "maintenanceOperator.enabled"),
            ],
            dependencies.Select(d => (
                d["name"]!.GetValue<string>(),
                d["alias"]?.GetValue<string>() ?? d["name"]!.GetValue<string>(),
                d["repository"]!.GetValue<string>(),
                d["condition"]!.GetValue<string>())));
        // A pinned release of each, so `helm dependency build` is reproducible.
        Assert.All(dependencies, d => Assert.Matches(@"^\d+\.\d+\.\d+$", d["version"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Install_on_a_cluster_older_than_1_32_is_refused()
    {
        var result = await Helm.RunAsync("template", "x", ChartWorkspace.Directory, "--kube-version", "1.31.5");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("1.32", result.Output, StringComparison.Ordinal);
    }

    public static TheoryData<string> ValuesFiles() => new(ChartWorkspace.CiValuesFiles().Select(Path.GetFileName)!);
}
