using System.Diagnostics;
using NetworkOperator.Simulator;
using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Cli.Tests;

/// <summary>
/// What the API server does with the CRDs the operator installs: the NetworkAttachmentDefinition CRD has upstream's
/// short names for the real kubectl, and integer fields out of their format's range are refused at admission.
/// </summary>
[Trait("Category", "Slow")]
public sealed class InstalledCrdTests
{
    [Fact]
    public async Task An_mtu_that_does_not_fit_int32_is_refused_at_admission_with_the_field_path()
    {
        await using var server = await SimulatedApiServer.StartNewAsync();
        var directory = Directory.CreateTempSubdirectory("crd-int32-").FullName;
        var kubeconfig = server.WriteKubeconfig(Path.Combine(directory, "kubeconfig"));
        Assert.Equal(0, (await CliProcess.RunAsync("crds", "--apply", "--kubeconfig", kubeconfig)).ExitCode);

        var network = Path.Combine(directory, "macvlan.yaml");
        await File.WriteAllTextAsync(network, """
            apiVersion: mellanox.com/v1alpha1
            kind: MacvlanNetwork
            metadata: {name: too-big}
            spec:
              networkNamespace: default
              master: ens2f0
              mode: bridge
              mtu: 4294967296
              ipam: '{"type":"whereabouts","range":"192.168.2.0/24"}'
            """);
        var (exit, _, stderr) = await KubectlAsync(directory, kubeconfig, "create", "-f", network);

        Assert.NotEqual(0, exit);
        Assert.Contains("spec.mtu", stderr, StringComparison.Ordinal);
        Assert.Contains("should be less than or equal to 2147483647", stderr, StringComparison.Ordinal);
        var (_, list, _) = await KubectlAsync(directory, kubeconfig, "get", "macvlannetworks", "-o", "name");
        Assert.Equal(string.Empty, list.Trim());
    }

    [Fact]
    public async Task Kubectl_get_nad_and_net_attach_def_work_after_crds_apply()
    {
        await using var server = await SimulatedApiServer.StartNewAsync();
        var directory = Directory.CreateTempSubdirectory("nad-short-").FullName;
        var kubeconfig = server.WriteKubeconfig(Path.Combine(directory, "kubeconfig"));
        var apply = await CliProcess.RunAsync("crds", "--apply", "--kubeconfig", kubeconfig);
        Assert.True(apply.ExitCode == 0, apply.StdErr);

        var nad = Path.Combine(directory, "nad.yaml");
        await File.WriteAllTextAsync(nad, """
            apiVersion: k8s.cni.cncf.io/v1
            kind: NetworkAttachmentDefinition
            metadata: {name: example, namespace: default}
            spec:
              config: '{"cniVersion":"0.3.1","type":"macvlan"}'
            """);
        var (createExit, _, createErr) = await KubectlAsync(directory, kubeconfig, "apply", "-f", nad);
        Assert.True(createExit == 0, createErr);

        foreach (var shortName in new[] { "nad", "net-attach-def" })
        {
            var (exit, stdout, stderr) = await KubectlAsync(directory, kubeconfig, "get", shortName, "-n", "default", "-o", "name");
            Assert.True(exit == 0, $"kubectl get {shortName}: {stderr}");
            Assert.Equal("networkattachmentdefinition.k8s.cni.cncf.io/example", stdout.Trim());
        }
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> KubectlAsync(string directory, string kubeconfig, params string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["KUBECONFIG"] = kubeconfig;
        // A discovery cache of its own, so short names come from this server's discovery.
        start.ArgumentList.Add("--cache-dir=" + Path.Combine(directory, "kube-cache"));
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
