using Microsoft.Extensions.Logging.Abstractions;
using NetworkOperator.Controllers.Startup;
using NetworkOperator.Simulator;
using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Cli.Tests;

/// <summary>`network-operator run` on a cluster without its CRDs: one error line that says so and how to fix it; it waits and starts once they exist.</summary>
[Trait("Category", "Slow")]
public sealed class RunWithoutCrdsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("run-without-crds-").FullName;

    [Fact]
    public async Task Missing_CRDs_are_named_once_with_the_fix_and_the_operator_becomes_ready_when_they_are_installed()
    {
        await using var server = await SimulatedApiServer.StartNewAsync();
        var kubeconfig = Path.Combine(_directory, "kubeconfig");
        server.WriteKubeconfig(kubeconfig);
        var health = ProbeEndpoint.FreePort();
        using var op = BackgroundCli.Start(
            ["run", "--kubeconfig", kubeconfig, "--metrics-bind-address", "0", "--health-probe-bind-address", $"127.0.0.1:{health}"],
            new Dictionary<string, string> { ["POD_NAMESPACE"] = "nvidia-network-operator", ["OFED_PRECOMPILED_TAG_LISTER"] = "offline" });

        await op.WaitForLineAsync(l => l.Contains("CustomResourceDefinitions are not installed", StringComparison.Ordinal), "the missing-CRD error",
            Eventually.LongTimeout);
        var error = Assert.Single(op.Output.Split('\n'), l => l.Contains("CustomResourceDefinitions are not installed", StringComparison.Ordinal));
        Assert.Contains("\tERROR\t", error, StringComparison.Ordinal);
        foreach (var resource in new[] { "nicclusterpolicies.mellanox.com", "nicnodepolicies.mellanox.com", "macvlannetworks.mellanox.com",
                     "hostdevicenetworks.mellanox.com", "ipoibnetworks.mellanox.com" })
        {
            Assert.Contains(resource, error, StringComparison.Ordinal);
        }

        Assert.Contains("network-operator crds | kubectl apply -f -", error, StringComparison.Ordinal);
        Assert.Contains("--install-crds", error, StringComparison.Ordinal);
        Assert.False(await ProbeEndpoint.ReadyAsync(health), "/readyz must not report ready while its kinds are not served");

        await CrdInstaller.InstallAsync(server.CreateClient(), NullLogger.Instance, TimeProvider.System, CancellationToken.None);
        // The NetworkAttachmentDefinition CRD comes with them; it was not served at start, so the controllers restart
        // in the same process to watch it.
        await op.WaitForLineAsync(l => l.Contains("network-attachment-definitions.k8s.cni.cncf.io is now served by this cluster; restarting the controllers",
            StringComparison.Ordinal), "the restart for the NAD kind", Eventually.LongTimeout);
        await Eventually.TrueAsync(() => ProbeEndpoint.ReadyAsync(health), "ready once the CRDs exist", Eventually.LongTimeout);
        Assert.False(op.HasExited, op.Output);
        Assert.DoesNotContain("   at ", op.Output, StringComparison.Ordinal);
        Assert.Equal(0, await op.TerminateAsync(TimeSpan.FromSeconds(60)));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
