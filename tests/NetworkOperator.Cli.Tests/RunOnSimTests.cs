using System.Diagnostics;
using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Cli.Tests;

/// <summary>
/// The operator deployed the way a user runs it by hand: <c>network-operator sim</c> in one process,
/// <c>network-operator run</c> in another, authenticated as the chart's ServiceAccount (a `kubectl create token` token, RBAC
/// enforced), the policy applied with the real kubectl as cluster admin, readiness
/// read back with kubectl, and SIGTERM stopping the operator cleanly.
/// </summary>
public sealed class RunOnSimTests : IDisposable
{
    private const string Kubectl = "/usr/bin/kubectl";

    private const string Namespace = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: nvidia-network-operator
        """;

    private const string Policy = """
        apiVersion: mellanox.com/v1alpha1
        kind: NicClusterPolicy
        metadata:
          name: nic-cluster-policy
        spec:
          secondaryNetwork:
            multus:
              image: multus-cni
              repository: ghcr.io/k8snetworkplumbingwg
              version: v4.1.0
            cniPlugins:
              image: plugins
              repository: ghcr.io/k8snetworkplumbingwg
              version: v1.5.0
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("run-on-sim-").FullName;

    [Fact]
    public async Task Run_against_sim_reconciles_a_kubectl_applied_policy_to_ready_and_exits_0_on_SIGTERM()
    {
        Assert.True(File.Exists(Kubectl), "kubectl is required at /usr/bin/kubectl");
        var kubeconfig = Path.Combine(_directory, "kubeconfig");
        using var sim = BackgroundCli.Start(["sim", "--port", "0", "--kubeconfig", kubeconfig, "--node-count", "2"]);
        await sim.WaitForLineAsync(l => l.StartsWith("export KUBECONFIG=", StringComparison.Ordinal), "the sim's kubeconfig", TimeSpan.FromSeconds(90));
        await KubectlAsync(kubeconfig, Namespace, "apply", "-f", "-");

        // The operator runs under the chart's ServiceAccount with a token from `kubectl create token`, so RBAC is enforced.
        var config = k8s.KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig);
        using (var admin = new k8s.Kubernetes(config))
        {
            await ChartOperatorIdentity.InstallAsync(admin, "nvidia-network-operator");
        }

        var token = (await KubectlAsync(kubeconfig, null, "create", "token", ChartOperatorIdentity.ServiceAccountName, "-n", "nvidia-network-operator")).Trim();
        var operatorKubeconfig = Path.Combine(_directory, "operator.kubeconfig");
        File.Copy(kubeconfig, operatorKubeconfig);
        await KubectlAsync(operatorKubeconfig, null, "config", "set-credentials", "simulator", "--token=" + token);
        Assert.Equal("yes", (await KubectlAsync(operatorKubeconfig, null, "auth", "can-i", "create", "daemonsets.apps", "-n", "nvidia-network-operator")).Trim());
        Assert.Equal("no", (await TryKubectlAsync(operatorKubeconfig, null, "auth", "can-i", "get", "secrets", "-n", "nvidia-network-operator")).StdOut.Trim());

        using var op = BackgroundCli.Start(
            ["run", "--kubeconfig", operatorKubeconfig, "--install-crds", "--metrics-bind-address", "0", "--health-probe-bind-address", "0"],
            new Dictionary<string, string> { ["POD_NAMESPACE"] = "nvidia-network-operator", ["OFED_PRECOMPILED_TAG_LISTER"] = "offline" });

        // The CRDs exist once the operator has installed them; until then kubectl cannot map the kind.
        await Until(async () => (await TryKubectlAsync(kubeconfig, Policy, "apply", "-f", "-")).ExitCode == 0, "policy applied", op);
        await Until(async () => (await TryKubectlAsync(kubeconfig, null, "get", "nicclusterpolicy", "nic-cluster-policy", "-o", "jsonpath={.status.state}"))
            .StdOut == "ready", "policy ready", op);
        var daemonSets = await KubectlAsync(kubeconfig, null, "get", "daemonsets", "-n", "nvidia-network-operator", "-o", "name");
        Assert.Contains("daemonset.apps/kube-multus-ds", daemonSets, StringComparison.Ordinal);
        var available = await KubectlAsync(kubeconfig, null, "get", "daemonset", "kube-multus-ds", "-n", "nvidia-network-operator",
            "-o", "jsonpath={.status.numberAvailable}");
        Assert.Equal("2", available);

        Assert.Equal(0, await op.TerminateAsync(TimeSpan.FromSeconds(60)));
        Assert.DoesNotContain("Unhandled exception", op.Output, StringComparison.Ordinal);
        Assert.Equal(0, await sim.TerminateAsync(TimeSpan.FromSeconds(60)));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task Until(Func<Task<bool>> condition, string what, BackgroundCli op)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!await condition())
        {
            Assert.False(op.HasExited, $"the operator exited while waiting for {what}:\n{op.Output}");
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}; operator output:\n{op.Output}");
            await Task.Delay(250);
        }
    }

    private async Task<string> KubectlAsync(string kubeconfig, string? stdin, params string[] args)
    {
        var (code, stdout, stderr) = await TryKubectlAsync(kubeconfig, stdin, args);
        Assert.True(code == 0, $"kubectl {string.Join(' ', args)} failed: {stderr}");
        return stdout;
    }

    private async Task<(int ExitCode, string StdOut, string StdErr)> TryKubectlAsync(string kubeconfig, string? stdin, params string[] args)
    {
        var psi = new ProcessStartInfo(Kubectl)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { "--kubeconfig", kubeconfig, "--cache-dir", Path.Combine(_directory, "cache") }.Concat(args))
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
