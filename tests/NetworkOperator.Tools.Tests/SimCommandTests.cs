using System.Diagnostics;
using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Tools.Tests;

/// <summary>`network-operator-tools sim` as a process: serves, writes a kubeconfig the real kubectl uses at once, stops on SIGTERM.</summary>
[Trait("Category", "Slow")]
public sealed class SimCommandTests
{
    private const string KubectlPath = "/usr/bin/kubectl";

    [Fact]
    public async Task Sim_serves_until_terminated_and_its_kubeconfig_works_with_kubectl()
    {
        Assert.True(File.Exists(KubectlPath), "kubectl is required at /usr/bin/kubectl (google-cloud-sdk kubectl component or the Kubernetes apt repository)");
        var directory = Directory.CreateTempSubdirectory("sim-cli-").FullName;
        var kubeconfig = Path.Combine(directory, "kubeconfig");
        using var sim = BackgroundCli.StartTools(["sim", "--port", "0", "--kubeconfig", kubeconfig]);
        try
        {
            await sim.WaitForLineAsync(l => l.StartsWith("export KUBECONFIG=", StringComparison.Ordinal), "sim's kubeconfig line");
            var lines = sim.Output.Split('\n');
            Assert.Contains($"export KUBECONFIG={kubeconfig}", lines);
            Assert.Contains(lines, l => l.StartsWith("API server listening on https://127.0.0.1:", StringComparison.Ordinal) && l.Contains("and http://127.0.0.1:", StringComparison.Ordinal));

            var output = await KubectlAsync(directory, kubeconfig, "get", "ns", "-o", "name");
            Assert.Contains("namespace/default", output, StringComparison.Ordinal);
            Assert.Contains("namespace/kube-system", output, StringComparison.Ordinal);

            Assert.Equal(0, await sim.TerminateAsync(TimeSpan.FromSeconds(60)));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Sim_port_is_the_port_the_kubeconfig_names()
    {
        var directory = Directory.CreateTempSubdirectory("sim-port-").FullName;
        var kubeconfig = Path.Combine(directory, "kubeconfig");
        var port = FreePort();
        using var sim = BackgroundCli.StartTools(["sim", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--kubeconfig", kubeconfig]);
        try
        {
            await sim.WaitForLineAsync(l => l.StartsWith("export KUBECONFIG=", StringComparison.Ordinal), "sim's kubeconfig line");
            Assert.Contains($"server: https://127.0.0.1:{port}", await File.ReadAllTextAsync(kubeconfig), StringComparison.Ordinal);
            Assert.Contains($"https://127.0.0.1:{port}/", sim.Output, StringComparison.Ordinal);
            var output = await KubectlAsync(directory, kubeconfig, "get", "ns", "default", "-o", "name");
            Assert.Equal("namespace/default", output.Trim());
            Assert.Equal(0, await sim.TerminateAsync(TimeSpan.FromSeconds(60)));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Sim_refuses_one_port_for_both_endpoints()
    {
        var result = await CliProcess.RunToolsAsync("sim", "--port", "6443", "--http-port", "6443");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--port and --http-port must differ, both are 6443", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sim_rejects_an_invalid_port_without_a_stack_trace()
    {
        var result = await CliProcess.RunToolsAsync("sim", "--port", "70000");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--port must be between 0 and 65535", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sim_openshift_serves_the_toolkit_ImageStream_the_proxy_and_RHCOS_workers_to_kubectl()
    {
        var directory = Directory.CreateTempSubdirectory("sim-ocp-").FullName;
        var kubeconfig = Path.Combine(directory, "kubeconfig");
        using var sim = BackgroundCli.StartTools(["sim", "--openshift", "--port", "0", "--kubeconfig", kubeconfig]);
        try
        {
            await sim.WaitForLineAsync(l => l.StartsWith("export KUBECONFIG=", StringComparison.Ordinal), "sim --openshift's kubeconfig line", Eventually.LongTimeout);
            Assert.Contains("simulated OpenShift cluster with 3 nodes (scheduler, workload controllers, kubelets, data plane)", sim.Output.Split('\n'));

            Assert.Equal("clusterversion.config.openshift.io/version", (await KubectlAsync(directory, kubeconfig, "get", "clusterversion", "-o", "name")).Trim());
            Assert.Equal("proxy.config.openshift.io/cluster", (await KubectlAsync(directory, kubeconfig, "get", "proxy", "-o", "name")).Trim());
            var tags = await KubectlAsync(directory, kubeconfig, "get", "imagestream", "driver-toolkit", "-n", "openshift", "-o", "jsonpath={.spec.tags[*].name}");
            Assert.Contains("416.94.202410211619-0", tags, StringComparison.Ordinal);
            var workers = await KubectlAsync(directory, kubeconfig, "get", "nodes", "-l", "node.openshift.io/os_id=rhcos,node-role.kubernetes.io/worker", "-o", "name");
            Assert.Equal(3, workers.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

            Assert.Equal(0, await sim.TerminateAsync(TimeSpan.FromSeconds(60)));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The real kubectl against the sim's kubeconfig, with its discovery cache in the test's folder.</summary>
    private static async Task<string> KubectlAsync(string directory, string kubeconfig, params string[] args)
    {
        var start = new ProcessStartInfo(KubectlPath) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--kubeconfig", kubeconfig, "--cache-dir", Path.Combine(directory, "cache") }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"kubectl {string.Join(' ', args)} failed: {await error}");
        return await output;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
