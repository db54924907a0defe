using System.Text.Json;
using k8s;
using k8s.Models;
using NetworkOperator.Simulator;
using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Cli.Tests;

/// <summary>`network-operator keep-ncp`, the command the chart's keep-ncp hook runs (value keepNCP).</summary>
[Trait("Category", "Slow")]
public sealed class KeepNcpCommandTests
{
    [Fact]
    public async Task A_helm_managed_policy_gets_the_keep_annotation_and_others_are_left_alone()
    {
        await using var server = await SimulatedApiServer.StartNewAsync();
        var kubeconfig = Path.Combine(Directory.CreateTempSubdirectory("keep-ncp-").FullName, "kubeconfig");
        server.WriteKubeconfig(kubeconfig);

        // First install: not even the CRD exists yet.
        var noCrd = await CliProcess.RunAsync("keep-ncp", "--kubeconfig", kubeconfig);
        Assert.True(noCrd.ExitCode == 0, noCrd.StdErr);
        Assert.Contains("not found: nothing to keep", noCrd.StdOut, StringComparison.Ordinal);

        Assert.Equal(0, (await CliProcess.RunAsync("crds", "--apply", "--kubeconfig", kubeconfig)).ExitCode);
        using var client = server.CreateClient();
        await CreatePolicyAsync(client, managedBy: "kubectl");
        var notHelm = await CliProcess.RunAsync("keep-ncp", "--kubeconfig", kubeconfig);
        Assert.True(notHelm.ExitCode == 0, notHelm.StdErr);
        Assert.Contains("is not managed by Helm: left unchanged", notHelm.StdOut, StringComparison.Ordinal);
        Assert.Null(await KeepAnnotationAsync(client));

        await client.CustomObjects.DeleteClusterCustomObjectAsync("mellanox.com", "v1alpha1", "nicclusterpolicies", "nic-cluster-policy");
        await CreatePolicyAsync(client, managedBy: "Helm");
        var kept = await CliProcess.RunAsync("keep-ncp", "--kubeconfig", kubeconfig);
        Assert.True(kept.ExitCode == 0, kept.StdErr);
        Assert.Contains("annotated helm.sh/resource-policy: keep", kept.StdOut, StringComparison.Ordinal);
        Assert.Equal("keep", await KeepAnnotationAsync(client));

        var again = await CliProcess.RunAsync("keep-ncp", "--kubeconfig", kubeconfig);
        Assert.Contains("already has helm.sh/resource-policy: keep", again.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_is_one_line_and_exit_1()
    {
        var directory = Directory.CreateTempSubdirectory("keep-ncp-bad-").FullName;
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

        var result = await CliProcess.RunAsync("keep-ncp", "--kubeconfig", kubeconfig);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("keep-ncp: cannot read or annotate NicClusterPolicy nic-cluster-policy", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }

    private static async Task CreatePolicyAsync(Kubernetes client, string managedBy) =>
        await client.CustomObjects.CreateClusterCustomObjectAsync(
            new Dictionary<string, object>
            {
                ["apiVersion"] = "mellanox.com/v1alpha1",
                ["kind"] = "NicClusterPolicy",
                ["metadata"] = new V1ObjectMeta { Name = "nic-cluster-policy", Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = managedBy } },
                ["spec"] = new Dictionary<string, object>(),
            },
            "mellanox.com", "v1alpha1", "nicclusterpolicies");

    private static async Task<string?> KeepAnnotationAsync(Kubernetes client)
    {
        var policy = await client.CustomObjects.GetClusterCustomObjectAsync<JsonElement>("mellanox.com", "v1alpha1", "nicclusterpolicies", "nic-cluster-policy");
        return policy.GetProperty("metadata").TryGetProperty("annotations", out var annotations) && annotations.TryGetProperty("helm.sh/resource-policy", out var keep)
            ? keep.GetString()
            : null;
    }
}
