using k8s;
using NetworkOperator.Simulator;

namespace NetworkOperator.Cli.Tests;

/// <summary>`network-operator crds --apply`, the command the chart's CRD upgrade hook runs, against the embedded API server.</summary>
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
