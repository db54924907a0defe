using k8s;
using NetworkOperator.Simulator;
using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Cli.Tests;

/// <summary>`network-operator crds --apply`, the command the chart's CRD upgrade hook runs, against the embedded API server.</summary>
[Trait("Category", "Slow")]
public sealed class CrdsApplyCommandTests
{
    [Fact]
    public async Task Apply_installs_every_crd_established_and_a_second_run_writes_nothing()
    {
        await using var server = await SimulatedApiServer.StartNewAsync();
        var directory = Directory.CreateTempSubdirectory("crds-apply-").FullName;
        var kubeconfig = Path.Combine(directory, "kubeconfig");
        server.WriteKubeconfig(kubeconfig);

        var first = await CliProcess.RunAsync("crds", "--apply", "--kubeconfig", kubeconfig);
        Assert.True(first.ExitCode == 0, first.StdErr);
        Assert.Contains("6 CRDs established (6 created or upgraded)", first.StdOut, StringComparison.Ordinal);

        using var client = server.CreateClient();
        var crd = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("nicclusterpolicies.mellanox.com");
        Assert.Contains(crd.Status.Conditions, c => c.Type == "Established" && c.Status == "True");

        var second = await CliProcess.RunAsync("crds", "--apply", "--kubeconfig", kubeconfig);
        Assert.True(second.ExitCode == 0, second.StdErr);
        Assert.Contains("(0 created or upgraded)", second.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Crds_dir_applies_the_dependency_crds_of_a_mounted_configmap_too_and_upgrades_a_changed_one()
    {
        await using var server = await SimulatedApiServer.StartNewAsync();
        var directory = Directory.CreateTempSubdirectory("crds-apply-dir-").FullName;
        var kubeconfig = Path.Combine(directory, "kubeconfig");
        server.WriteKubeconfig(kubeconfig);
        // Laid out as the kubelet mounts a ConfigMap: data in a hidden folder, one link per key at the top.
        var crds = Path.Combine(directory, "crds");
        var data = Directory.CreateDirectory(Path.Combine(crds, "..2026_01_01")).FullName;
        await File.WriteAllTextAsync(Path.Combine(data, "sriov-network-operator.widgets.yaml"), DependencyCrd("widgets", "Widget", shortName: "wg"));
        await File.WriteAllTextAsync(Path.Combine(data, "maintenance-operator-chart.gadgets.yaml"), DependencyCrd("gadgets", "Gadget", shortName: "gd"));
        File.CreateSymbolicLink(Path.Combine(crds, "..data"), data);
        File.CreateSymbolicLink(Path.Combine(crds, "sriov-network-operator.widgets.yaml"), Path.Combine(crds, "..data", "sriov-network-operator.widgets.yaml"));
        File.CreateSymbolicLink(Path.Combine(crds, "maintenance-operator-chart.gadgets.yaml"), Path.Combine(crds, "..data", "maintenance-operator-chart.gadgets.yaml"));

        var first = await CliProcess.RunAsync("crds", "--apply", "--kubeconfig", kubeconfig, "--crds-dir", crds);
        Assert.True(first.ExitCode == 0, first.StdErr);
        Assert.Contains("8 CRDs established (8 created or upgraded)", first.StdOut, StringComparison.Ordinal);

        // A newer dependency chart changes a CRD (another short name): the next hook run upgrades just that one.
        await File.WriteAllTextAsync(Path.Combine(data, "sriov-network-operator.widgets.yaml"), DependencyCrd("widgets", "Widget", shortName: "wgt"));
        var second = await CliProcess.RunAsync("crds", "--apply", "--kubeconfig", kubeconfig, "--crds-dir", crds);
        Assert.True(second.ExitCode == 0, second.StdErr);
        Assert.Contains("8 CRDs established (1 created or upgraded)", second.StdOut, StringComparison.Ordinal);

        using var client = server.CreateClient();
        var widgets = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("widgets.deps.example.com");
        Assert.Equal(["wgt"], widgets.Spec.Names.ShortNames);
        Assert.Contains(widgets.Status.Conditions, c => c.Type == "Established" && c.Status == "True");

        var third = await CliProcess.RunAsync("crds", "--apply", "--kubeconfig", kubeconfig, "--crds-dir", crds);
        Assert.Contains("(0 created or upgraded)", third.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Crds_dir_with_a_file_that_is_not_a_crd_names_the_file_and_applies_nothing()
    {
        await using var server = await SimulatedApiServer.StartNewAsync();
        var directory = Directory.CreateTempSubdirectory("crds-apply-bad-dir-").FullName;
        var kubeconfig = Path.Combine(directory, "kubeconfig");
        server.WriteKubeconfig(kubeconfig);
        var crds = Directory.CreateDirectory(Path.Combine(directory, "crds")).FullName;
        await File.WriteAllTextAsync(Path.Combine(crds, "a.yaml"), DependencyCrd("widgets", "Widget", shortName: "wg"));
        await File.WriteAllTextAsync(Path.Combine(crds, "b.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");

        var result = await CliProcess.RunAsync("crds", "--apply", "--kubeconfig", kubeconfig, "--crds-dir", crds);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("b.yaml, document 1: kind is ConfigMap, expected CustomResourceDefinition", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
        using var client = server.CreateClient();
        Assert.Empty((await client.ApiextensionsV1.ListCustomResourceDefinitionAsync()).Items);
    }

    private static string DependencyCrd(string plural, string kind, string shortName) => $$"""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: {{plural}}.deps.example.com
        spec:
          group: deps.example.com
          names: {kind: {{kind}}, listKind: {{kind}}List, plural: {{plural}}, singular: {{kind.ToLowerInvariant()}}, shortNames: [{{shortName}}]}
          scope: Namespaced
          versions:
            - name: v1
              served: true
              storage: true
              schema:
                openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
        """;

    [Fact]
    public async Task Apply_against_an_unreachable_server_fails_with_a_message_and_no_stack_trace()
    {
        var directory = Directory.CreateTempSubdirectory("crds-apply-bad-").FullName;
        var kubeconfig = Path.Combine(directory, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, """
            apiVersion: v1
            kind: Config
            clusters:
            - name: nowhere
              cluster: {server: "http://127.0.0.1:9"}
            contexts:
            - name: nowhere
              context: {cluster: nowhere, user: nowhere}
            current-context: nowhere
            users:
            - name: nowhere
              user: {token: x}
            """);

        var result = await CliProcess.RunAsync("crds", "--apply", "--kubeconfig", kubeconfig);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("applying CRDs failed", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }
}
