using System.Diagnostics;
using NetworkOperator.Tests.Shared;
using NetworkOperator.Tools.Demo;

namespace NetworkOperator.Tools.Tests;

/// <summary>
/// The operator deployed the way a user runs it by hand: <c>network-operator-tools sim</c> in one process,
/// <c>network-operator run</c> in another, authenticated as the chart's ServiceAccount (a `kubectl create token` token, RBAC
/// enforced), the policy applied with the real kubectl as cluster admin, readiness
/// read back with kubectl, and SIGTERM stopping the operator cleanly.
/// </summary>
[Trait("Category", "Slow")]
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
        using var sim = BackgroundCli.StartTools(["sim", "--port", "0", "--kubeconfig", kubeconfig, "--node-count", "2"]);
        await sim.WaitForLineAsync(l => l.StartsWith("export KUBECONFIG=", StringComparison.Ordinal), "the sim's kubeconfig", Eventually.LongTimeout);
        await KubectlAsync(kubeconfig, Namespace, "apply", "-f", "-");

        // The operator runs under the chart's ServiceAccount with a token from `kubectl create token`, so RBAC is enforced.
        using var op = await StartOperatorAsChartIdentityAsync(kubeconfig);

        // The CRDs exist once the operator has installed them; until then kubectl cannot map the kind.
        await op.UntilAsync(async () => (await TryKubectlAsync(kubeconfig, Policy, "apply", "-f", "-")).ExitCode == 0, "policy applied", Eventually.LongTimeout);
        await op.UntilAsync(async () => (await TryKubectlAsync(kubeconfig, null, "get", "nicclusterpolicy", "nic-cluster-policy", "-o", "jsonpath={.status.state}"))
            .StdOut == "ready", "policy ready", Eventually.LongTimeout);
        var daemonSets = await KubectlAsync(kubeconfig, null, "get", "daemonsets", "-n", "nvidia-network-operator", "-o", "name");
        Assert.Contains("daemonset.apps/kube-multus-ds", daemonSets, StringComparison.Ordinal);
        var available = await KubectlAsync(kubeconfig, null, "get", "daemonset", "kube-multus-ds", "-n", "nvidia-network-operator",
            "-o", "jsonpath={.status.numberAvailable}");
        Assert.Equal("2", available);

        Assert.Equal(0, await op.TerminateAsync(TimeSpan.FromSeconds(60)));
        Assert.DoesNotContain("Unhandled exception", op.Output, StringComparison.Ordinal);
        Assert.Equal(0, await sim.TerminateAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task Sim_on_the_example_inventory_brings_the_full_example_policy_to_ready_under_the_chart_identity()
    {
        Assert.True(File.Exists(Kubectl), "kubectl is required at /usr/bin/kubectl");
        var examples = Path.Combine(RepositoryRoot(), "examples");
        var kubeconfig = Path.Combine(_directory, "kubeconfig");
        // The sample inventory has no status.capacity: the simulated kubelets report the defaults a real kubelet would.
        using var sim = BackgroundCli.StartTools(["sim", "--port", "0", "--kubeconfig", kubeconfig, "--nodes", Path.Combine(examples, "nodes.yaml")]);
        await sim.WaitForLineAsync(l => l.StartsWith("export KUBECONFIG=", StringComparison.Ordinal), "the sim's kubeconfig", Eventually.LongTimeout);
        await KubectlAsync(kubeconfig, Namespace, "apply", "-f", "-");
        // The nv-ipam webhook of the full example gets its certificate from cert-manager: its API, and the Secret its
        // controller would issue for the Certificate (without it the controller's pods wait in ContainerCreating, as on
        // a real cluster without cert-manager running).
        await KubectlAsync(kubeconfig, CertManagerCrds.Yaml, "apply", "-f", "-");
        await KubectlAsync(kubeconfig, CertManagerCrds.IssuedWebhookSecretYaml("nvidia-network-operator"), "apply", "-f", "-");

        using var op = await StartOperatorAsChartIdentityAsync(kubeconfig);

        var policy = Path.Combine(examples, "nicclusterpolicy-full.yaml");
        await op.UntilAsync(async () => (await TryKubectlAsync(kubeconfig, null, "apply", "-f", policy)).ExitCode == 0, "policy applied", Eventually.LongTimeout);
        await op.UntilAsync(async () => (await TryKubectlAsync(kubeconfig, null, "get", "nicclusterpolicy", "nic-cluster-policy", "-o", "jsonpath={.status.state}"))
            .StdOut == "ready", "full policy ready", Eventually.Timeout * 4);

        // Every component the example names is ready, not just the policy summary.
        var states = await KubectlAsync(kubeconfig, null, "get", "nicclusterpolicy", "nic-cluster-policy", "-o",
            "jsonpath={range .status.appliedStates[*]}{.name}={.state}{\"\\n\"}{end}");
        var lines = states.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length >= 10, $"expected the states of every component of the full example:\n{states}");
        Assert.All(lines, l => Assert.Matches("=(ready|ignore)$", l));
        var nodes = await KubectlAsync(kubeconfig, null, "get", "nodes", "-o", "jsonpath={.items[*].status.allocatable.cpu}");
        Assert.DoesNotContain(nodes.Split(' ', StringSplitOptions.RemoveEmptyEntries), cpu => cpu is "0" or "");

        Assert.Equal(0, await op.TerminateAsync(TimeSpan.FromSeconds(60)));
        Assert.DoesNotContain("Unhandled exception", op.Output, StringComparison.Ordinal);
        Assert.Equal(0, await sim.TerminateAsync(TimeSpan.FromSeconds(60)));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "NetworkOperator.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    /// <summary>
    /// `run` as the chart's ServiceAccount: its roles installed as cluster admin, a `kubectl create token` token in a copy
    /// of the kubeconfig, and RBAC checked with `kubectl auth can-i` before the operator starts.
    /// </summary>
    private async Task<BackgroundCli> StartOperatorAsChartIdentityAsync(string kubeconfig)
    {
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

        return BackgroundCli.Start(
            ["run", "--kubeconfig", operatorKubeconfig, "--install-crds", "--metrics-bind-address", "0", "--health-probe-bind-address", "0"],
            new Dictionary<string, string> { ["POD_NAMESPACE"] = "nvidia-network-operator", ["OFED_PRECOMPILED_TAG_LISTER"] = "offline" });
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

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
