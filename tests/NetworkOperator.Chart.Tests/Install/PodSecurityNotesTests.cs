using k8s;
using k8s.Models;
using NetworkOperator.Chart.Tests.Infrastructure;
using NetworkOperator.Simulator.Cluster;

namespace NetworkOperator.Chart.Tests.Install;

/// <summary>
/// helm cannot label the namespace it creates, so the install notes read the release namespace (helm's lookup against
/// the simulated API server, with Pod Security admission) and tell the user how to allow the components' privileged
/// pods when its enforced level would refuse them.
/// </summary>
[Trait("Category", "Slow")]
public sealed class PodSecurityNotesTests : IAsyncLifetime
{
    private const string Warning = "enforces Pod Security level";
    private readonly string _directory = Directory.CreateTempSubdirectory("chart-psa-notes-").FullName;
    private SimulatedCluster _cluster = null!;
    private string _kubeconfig = null!;

    public async Task InitializeAsync()
    {
        _cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions());
        _kubeconfig = _cluster.WriteKubeconfig(Path.Combine(_directory, "kubeconfig"));
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [InlineData("restricted", true)]
    [InlineData("baseline", true)]
    [InlineData("privileged", false)]
    [InlineData(null, false)]
    public async Task The_notes_name_the_label_command_when_the_namespace_refuses_privileged_pods(string? enforce, bool warned)
    {
        using var client = _cluster.CreateClient();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace
        {
            Metadata = new V1ObjectMeta
            {
                Name = SimulatedInstall.Namespace,
                Labels = enforce is null ? null : new Dictionary<string, string> { ["pod-security.kubernetes.io/enforce"] = enforce },
            },
        });

        var install = await Helm.RunAsync([
            "install", SimulatedInstall.Release, ChartWorkspace.Directory, "--namespace", SimulatedInstall.Namespace,
            "--kubeconfig", _kubeconfig, "--dry-run=server", .. SimulatedInstall.Values]);

        Assert.True(install.ExitCode == 0, $"helm install --dry-run=server failed:\n{install.Output}");
        Assert.Equal(warned, install.StdOut.Contains(Warning, StringComparison.Ordinal));
        if (warned)
        {
            Assert.Contains($"level \"{enforce}\"", install.StdOut, StringComparison.Ordinal);
            Assert.Contains($"kubectl label --overwrite namespace {SimulatedInstall.Namespace} pod-security.kubernetes.io/enforce=privileged",
                install.StdOut, StringComparison.Ordinal);
        }
    }
}
