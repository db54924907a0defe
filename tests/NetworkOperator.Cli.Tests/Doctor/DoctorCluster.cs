using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using NetworkOperator.Cli.Doctor;
using NetworkOperator.Controllers.Hosting;
using NetworkOperator.Controllers.Startup;
using NetworkOperator.Simulator.Cluster;
using NetworkOperator.Tests.Shared;
using NetworkOperator.Tools.Demo;

namespace NetworkOperator.Cli.Tests.Doctor;

/// <summary>
/// A simulated cluster (API server, workload controllers, scheduler, kubelets, data plane) with the operator's CRDs, the
/// chart's operator identity and, once <see cref="StartOperatorAsync"/> is called, the real operator reconciling in this
/// process under that identity. <see cref="DiagnoseAsync"/> runs the doctor's reads under the same identity, so every
/// test also shows that the chart's operator role suffices for doctor in-cluster.
/// </summary>
internal sealed class DoctorCluster : IAsyncDisposable
{
    public const string Namespace = "nvidia-network-operator";
    public const string DriverVersion = "doca3.1.0-25.07-0.9.7.0-0";

    private readonly CancellationTokenSource _stop = new();
    private OperatorHost? _host;
    private Task? _run;

    private DoctorCluster(SimulatedCluster cluster)
    {
        Cluster = cluster;
        Client = cluster.CreateClient();
    }

    public SimulatedCluster Cluster { get; }

    /// <summary>Cluster admin, for the test's own arrangements.</summary>
    public Kubernetes Client { get; }

    public static async Task<DoctorCluster> StartAsync(int nodes = 2, bool nfd = true, Action<SimulatedClusterOptions>? configure = null)
    {
        var options = new SimulatedClusterOptions
        {
            Nodes = [.. Enumerable.Range(1, nodes).Select(i => TestNodes.Joined($"worker-{i}", nfd: nfd, osImage: "Ubuntu 22.04"))],
            NodeLeases = false,
            KubeletDelay = TimeSpan.FromMilliseconds(20),
            ContainerStopDelay = TimeSpan.FromMilliseconds(20),
            SandboxRetryInterval = TimeSpan.FromMilliseconds(300),
        };
        configure?.Invoke(options);
        var cluster = new DoctorCluster(await SimulatedCluster.StartAsync(options));
        await cluster.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } });
        await CrdInstaller.InstallAsync(cluster.Client, NullLogger.Instance, TimeProvider.System, CancellationToken.None);
        await ChartOperatorIdentity.InstallAsync(cluster.Client, Namespace);
        return cluster;
    }

    public Task StartOperatorAsync()
    {
        var token = Cluster.Server.CreateServiceAccountToken(Namespace, ChartOperatorIdentity.ServiceAccountName);
        return StartHostAsync(token);
    }

    private async Task StartHostAsync(string token)
    {
        _host = await OperatorHost.CreateAsync(Cluster.Server.CreateClient(token), new OperatorOptions
        {
            Environment = new OperatorEnvironment { Namespace = Namespace, NotReadyRequeue = TimeSpan.FromMilliseconds(300) },
            Tags = new OfflineTagLister(),
        }, NullLoggerFactory.Instance);
        _run = Task.Run(() => _host.RunAsync(_stop.Token));
    }

    /// <summary>The doctor's snapshot and diagnosis, read as the chart's operator ServiceAccount.</summary>
    public async Task<DoctorReport> DiagnoseAsync()
    {
        using var client = Cluster.Server.CreateClient(Cluster.Server.CreateServiceAccountToken(Namespace, ChartOperatorIdentity.ServiceAccountName));
        return DoctorReport.Diagnose(await ClusterSnapshot.ReadAsync(client, Namespace, CancellationToken.None));
    }

    /// <summary>Polls the diagnosis until <paramref name="condition"/> holds; returns that report.</summary>
    public async Task<DoctorReport> DiagnoseUntilAsync(Func<DoctorReport, bool> condition, string what, TimeSpan? timeout = null)
    {
        DoctorReport? last = null;
        await Eventually.HoldsAsync(async () =>
        {
            last = await DiagnoseAsync();
            if (!condition(last))
            {
                Assert.Fail($"waiting for: {what}; last findings:\n{last.ToJsonText()}");
            }
        }, timeout ?? Eventually.LongTimeout);
        return last!;
    }

    /// <summary>
    /// A NicClusterPolicy with the driver, Multus and the CNI plugins; <paramref name="driverExtra"/> and
    /// <paramref name="multusExtra"/> are YAML lines added to those sections (indented by the caller, 4 spaces and 6).
    /// </summary>
    public static string Policy(string driverExtra = "", string multusExtra = "") =>
        "apiVersion: mellanox.com/v1alpha1\n" +
        "kind: NicClusterPolicy\n" +
        "metadata:\n" +
        "  name: nic-cluster-policy\n" +
        "spec:\n" +
        "  ofedDriver:\n" +
        "    image: doca-driver\n" +
        "    repository: nvcr.io/nvidia/mellanox\n" +
        $"    version: {DriverVersion}\n" +
        driverExtra +
        "  secondaryNetwork:\n" +
        "    multus:\n" +
        "      image: multus-cni\n" +
        "      repository: ghcr.io/k8snetworkplumbingwg\n" +
        "      version: v4.1.0\n" +
        multusExtra +
        "    cniPlugins:\n" +
        "      image: plugins\n" +
        "      repository: ghcr.io/k8snetworkplumbingwg\n" +
        "      version: v1.5.0\n";

    public async Task ApplyAsync(string yaml)
    {
        foreach (var doc in NetworkOperator.Simulator.Serialization.YamlJson.ParseAll(yaml))
        {
            var node = doc!.AsObject();
            var apiVersion = node["apiVersion"]!.GetValue<string>();
            var kind = node["kind"]!.GetValue<string>();
            var plural = kind.ToLowerInvariant() switch
            {
                "nicclusterpolicy" => "nicclusterpolicies",
                "nicnodepolicy" => "nicnodepolicies",
                var k => k + "s",
            };
            await Client.CustomObjects.CreateClusterCustomObjectAsync(node, apiVersion.Split('/')[0], "v1alpha1", plural);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            try
            {
                await _run.WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
            {
            }
        }

        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        Client.Dispose();
        await Cluster.DisposeAsync();
        _stop.Dispose();
    }
}
