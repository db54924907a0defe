using System.Diagnostics;
using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Tools.Tests;

/// <summary>`network-operator-tools sim` as a process: serves, writes a kubeconfig the real kubectl uses at once, stops on SIGTERM.</summary>
public sealed class SimCommandTests
{
    [Fact]
    public async Task Sim_serves_until_terminated_and_its_kubeconfig_works_with_kubectl()
    {
        const string kubectl = "/usr/bin/kubectl";
        Assert.True(File.Exists(kubectl), "kubectl is required at /usr/bin/kubectl (google-cloud-sdk kubectl component or the Kubernetes apt repository)");
        var directory = Directory.CreateTempSubdirectory("sim-cli-").FullName;
        var kubeconfig = Path.Combine(directory, "kubeconfig");
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            ArgumentList = { CliProcess.ToolsPath, "sim", "--port", "0", "--kubeconfig", kubeconfig },
        };
        using var sim = Process.Start(psi)!;
        var lines = new List<string>();
        sim.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (lines) { lines.Add(e.Data); } } };
        sim.BeginOutputReadLine();
        sim.BeginErrorReadLine();
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                lock (lines)
                {
                    if (lines.Any(l => l.StartsWith("export KUBECONFIG=", StringComparison.Ordinal)))
                    {
                        break;
                    }
                }

                Assert.True(DateTime.UtcNow < deadline, "sim did not print its kubeconfig line in time");
                Assert.False(sim.HasExited, "sim exited early");
                await Task.Delay(50);
            }

            lock (lines)
            {
                Assert.Contains($"export KUBECONFIG={kubeconfig}", lines);
                Assert.Contains(lines, l => l.StartsWith("API server listening on http://127.0.0.1:", StringComparison.Ordinal));
            }

            var get = new ProcessStartInfo(kubectl)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                ArgumentList = { "--kubeconfig", kubeconfig, "--cache-dir", Path.Combine(directory, "cache"), "get", "ns", "-o", "name" },
            };
            using var kubectlProcess = Process.Start(get)!;
            var output = await kubectlProcess.StandardOutput.ReadToEndAsync();
            await kubectlProcess.WaitForExitAsync();
            Assert.Equal(0, kubectlProcess.ExitCode);
            Assert.Contains("namespace/default", output, StringComparison.Ordinal);
            Assert.Contains("namespace/kube-system", output, StringComparison.Ordinal);

            using (var term = Process.Start("kill", ["-TERM", sim.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await sim.WaitForExitAsync(cts.Token);
            Assert.Equal(0, sim.ExitCode);
        }
        finally
        {
            if (!sim.HasExited)
            {
                sim.Kill(entireProcessTree: true);
            }

            Directory.Delete(directory, recursive: true);
        }
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
        const string kubectl = "/usr/bin/kubectl";
        var directory = Directory.CreateTempSubdirectory("sim-ocp-").FullName;
        var kubeconfig = Path.Combine(directory, "kubeconfig");
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            ArgumentList = { CliProcess.ToolsPath, "sim", "--openshift", "--port", "0", "--kubeconfig", kubeconfig },
        };
        using var sim = Process.Start(psi)!;
        var lines = new List<string>();
        sim.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (lines) { lines.Add(e.Data); } } };
        sim.BeginOutputReadLine();
        sim.BeginErrorReadLine();
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (true)
            {
                lock (lines)
                {
                    if (lines.Any(l => l.StartsWith("export KUBECONFIG=", StringComparison.Ordinal)))
                    {
                        break;
                    }
                }

                Assert.True(DateTime.UtcNow < deadline, "sim --openshift did not print its kubeconfig line in time");
                Assert.False(sim.HasExited, "sim exited early");
                await Task.Delay(50);
            }

            lock (lines)
            {
                Assert.Contains("simulated OpenShift cluster with 3 nodes (scheduler, workload controllers, kubelets, data plane)", lines);
            }

            async Task<string> Kubectl(params string[] args)
            {
                var get = new ProcessStartInfo(kubectl) { RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (var arg in new[] { "--kubeconfig", kubeconfig, "--cache-dir", Path.Combine(directory, "cache") }.Concat(args))
                {
                    get.ArgumentList.Add(arg);
                }

                using var process = Process.Start(get)!;
                var output = await process.StandardOutput.ReadToEndAsync();
                var error = await process.StandardError.ReadToEndAsync();
                await process.WaitForExitAsync();
                Assert.True(process.ExitCode == 0, $"kubectl {string.Join(' ', args)} failed: {error}");
                return output;
            }

            Assert.Equal("clusterversion.config.openshift.io/version", (await Kubectl("get", "clusterversion", "-o", "name")).Trim());
            Assert.Equal("proxy.config.openshift.io/cluster", (await Kubectl("get", "proxy", "-o", "name")).Trim());
            var tags = await Kubectl("get", "imagestream", "driver-toolkit", "-n", "openshift", "-o", "jsonpath={.spec.tags[*].name}");
            Assert.Contains("416.94.202410211619-0", tags, StringComparison.Ordinal);
            var workers = await Kubectl("get", "nodes", "-l", "node.openshift.io/os_id=rhcos,node-role.kubernetes.io/worker", "-o", "name");
            Assert.Equal(3, workers.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

            using (var term = Process.Start("kill", ["-TERM", sim.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await sim.WaitForExitAsync(cts.Token);
            Assert.Equal(0, sim.ExitCode);
        }
        finally
        {
            if (!sim.HasExited)
            {
                sim.Kill(entireProcessTree: true);
            }

            Directory.Delete(directory, recursive: true);
        }
    }
}
