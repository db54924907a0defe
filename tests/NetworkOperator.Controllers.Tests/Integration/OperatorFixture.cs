using System.Text.Json.Nodes;
using NetworkOperator.Tests.Shared;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetworkOperator.Controllers.Hosting;
using NetworkOperator.Controllers.Startup;
using NetworkOperator.Simulator;
using NetworkOperator.Simulator.Cluster;
using NetworkOperator.Tools.Demo;

namespace NetworkOperator.Controllers.Tests.Integration;

/// <summary>
/// A <see cref="SimulatedCluster"/> (API server, DaemonSet/Deployment controllers, scheduler, kubelets) plus operators
/// talking to it over HTTP. DaemonSets and Deployments become available the way they do on a real cluster: the
/// simulated kubelet starts their pods and the workload controllers write their status. Nodes join with
/// <see cref="AddNodeAsync"/>. Operators authenticate as the chart's ServiceAccount (RBAC enforced); <see cref="Client"/>
/// is the cluster admin, for the test's own arrangements.
/// </summary>
internal sealed class OperatorFixture : IAsyncDisposable
{
    public const string Namespace = "nvidia-network-operator";

    /// <summary>The smallest policy with a component: Multus alone, for tests about the machinery rather than a component.</summary>
    public const string MultusOnlyPolicy = """
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
        """;

    /// <summary>nv-ipam alone: one Deployment and one DaemonSet, for tests that apply and sync states without the operator.</summary>
    public const string NvIpamOnlyPolicy = """
        apiVersion: mellanox.com/v1alpha1
        kind: NicClusterPolicy
        metadata:
          name: nic-cluster-policy
        spec:
          nvIpam:
            image: nvidia-k8s-ipam
            repository: ghcr.io/mellanox
            version: v0.3.7
        """;

    /// <summary>A cluster policy that deploys only the OFED driver (one pool per OS and kernel).</summary>
    public const string DriverOnlyPolicy = """
        apiVersion: mellanox.com/v1alpha1
        kind: NicClusterPolicy
        metadata:
          name: nic-cluster-policy
        spec:
          ofedDriver:
            image: doca-driver
            repository: nvcr.io/nvidia/mellanox
            version: doca3.1.0-25.07-0.9.7.0-0
        """;

    private readonly CancellationTokenSource _stop = new();
    private readonly List<(OperatorHost Host, Task Run, CancellationTokenSource Stop)> _operators = [];

    private OperatorFixture(SimulatedCluster cluster)
    {
        Cluster = cluster;
        Client = cluster.CreateClient();
    }

    public SimulatedCluster Cluster { get; }

    public SimulatedApiServer Server => Cluster.Server;

    // OPERATOR_TEST_LOGS=1 shows the operator's log while debugging a test.
    private static ILoggerFactory Logs { get; } = Environment.GetEnvironmentVariable("OPERATOR_TEST_LOGS") == "1"
        ? LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Debug))
        : NullLoggerFactory.Instance;

    public Kubernetes Client { get; }

    public IReadOnlyList<OperatorHost> Operators => [.. _operators.Select(o => o.Host)];

    /// <summary>Starts a node-less cluster, the namespace and CRDs, and (unless told not to) one operator.</summary>
    /// <param name="startOperator">False when the test starts its operators itself.</param>
    /// <param name="steadyResync">Requeue period of ready resources (tests prove idleness with it).</param>
    /// <param name="kubeletDelay">How long each pod takes to start; long enough to observe <c>notReady</c> when a test needs it.</param>
    /// <param name="openShift">Serve the cluster as OpenShift (ClusterVersion, Proxy, Driver Toolkit ImageStream, CA injection).</param>
    public static async Task<OperatorFixture> StartAsync(bool startOperator = true, TimeSpan? steadyResync = null, TimeSpan? kubeletDelay = null,
        bool openShift = false)
    {
        var cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions
        {
            Nodes = [],
            OpenShift = openShift,
            NodeLeases = false,
            KubeletDelay = kubeletDelay ?? TimeSpan.FromMilliseconds(20),
            ContainerStopDelay = TimeSpan.FromMilliseconds(20),
        });
        var fixture = new OperatorFixture(cluster);
        await fixture.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } });
        await CrdInstaller.InstallAsync(fixture.Client, NullLogger.Instance, TimeProvider.System, CancellationToken.None);
        await ChartOperatorIdentity.InstallAsync(fixture.Client, Namespace);
        if (startOperator)
        {
            await fixture.StartOperatorAsync(steadyResync: steadyResync);
        }

        return fixture;
    }

    public async Task<OperatorHost> StartOperatorAsync(bool leaderElect = false, string? identity = null, TimeSpan? steadyResync = null,
        string? healthProbeBindAddress = null)
    {
        // The operator runs under the chart's ServiceAccount, so RBAC refuses what its roles do not grant.
        var token = Server.CreateServiceAccountToken(Namespace, ChartOperatorIdentity.ServiceAccountName);
        var host = await OperatorHost.CreateAsync(Server.CreateClient(token), new OperatorOptions
        {
            Environment = new OperatorEnvironment { Namespace = Namespace, NotReadyRequeue = TimeSpan.FromMilliseconds(300) },
            LeaderElect = leaderElect,
            LeaderIdentity = identity,
            LeaseTimings = (TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(300)),
            SteadyStateResync = steadyResync,
            HealthProbeBindAddress = healthProbeBindAddress,
        }, Logs);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var run = Task.Run(() => host.RunAsync(stop.Token));
        _operators.Add((host, run, stop));
        return host;
    }

    public async Task StopOperatorAsync(OperatorHost host)
    {
        var entry = _operators.Single(o => o.Host == host);
        _operators.Remove(entry);
        await entry.Stop.CancelAsync();
        await entry.Run.WaitAsync(TimeSpan.FromSeconds(30));
        await host.DisposeAsync();
        entry.Stop.Dispose();
    }

    /// <summary>Joins <paramref name="node"/> to the cluster as a kubelet registering does.</summary>
    public Task AddNodeAsync(V1Node node) => Cluster.AddNodeAsync(node);

    /// <summary>Merge-patches labels onto a node (null removes one), as NFD or an administrator would.</summary>
    public async Task LabelNodeAsync(string node, IReadOnlyDictionary<string, string?> labels) =>
        await Client.CoreV1.PatchNodeAsync(new V1Patch(KubernetesJson.Serialize(new { metadata = new { labels } }), V1Patch.PatchType.MergePatch), node);

    /// <summary>DaemonSets in the operator namespace with <paramref name="labelSelector"/>, by name.</summary>
    public async Task<List<V1DaemonSet>> DaemonSetsAsync(string? labelSelector = null) =>
        [.. (await Client.AppsV1.ListNamespacedDaemonSetAsync(Namespace, labelSelector: labelSelector)).Items.OrderBy(d => d.Metadata.Name, StringComparer.Ordinal)];

    /// <summary>
    /// Creates each document of <paramref name="yaml"/> as written (converted to JSON by the operator's own YAML reader),
    /// not through typed models: a typed round trip drops what the model names differently (YamlDotNet's camel case
    /// turns <c>IBKubernetes</c> into <c>iBKubernetes</c>, so an <c>ibKubernetes</c> section vanished).
    /// </summary>
    public async Task ApplyYamlAsync(string yaml)
    {
        foreach (var document in Api.Serialization.YamlJson.ParseDocuments(yaml))
        {
            if (document.Root is not JsonObject obj)
            {
                continue;
            }

            var apiVersion = obj["apiVersion"]!.GetValue<string>();
            var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion.Split('/')[0] : string.Empty;
            var plural = obj["kind"]!.GetValue<string>().ToLowerInvariant() switch
            {
                "nicclusterpolicy" => "nicclusterpolicies",
                "nicnodepolicy" => "nicnodepolicies",
                var k => k + "s",
            };
            await Client.CustomObjects.CreateClusterCustomObjectAsync(obj, group, "v1alpha1", plural);
        }
    }

    /// <summary>Reconciles <paramref name="controller"/> of <paramref name="host"/> has finished so far, whatever their outcome.</summary>
    public static double Reconciles(OperatorHost host, string controller)
    {
        var total = host.Manager.Metrics.ReconcileTotal;
        return total.GetAllLabelValues().Where(l => l[0] == controller).Sum(l => total.WithLabels(l).Value);
    }

    /// <summary>
    /// Waits until <paramref name="controller"/> of the first operator has finished <paramref name="count"/> more
    /// reconciles: a check that nothing was written is only meaningful once the operator has looked again, which a
    /// counter proves and a sleep only hopes.
    /// </summary>
    public async Task ReconciledAgainAsync(string controller, int count)
    {
        var host = Operators[0];
        var target = Reconciles(host, controller) + count;
        await Eventually.TrueAsync(() => Reconciles(host, controller) >= target, $"{count} more {controller} reconciles");
    }

    public async Task<JsonObject?> GetCustomAsync(string plural, string name)
    {
        try
        {
            var obj = await Client.CustomObjects.GetClusterCustomObjectAsync("mellanox.com", "v1alpha1", plural, name);
            return JsonNode.Parse(KubernetesJson.Serialize(obj)) as JsonObject;
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var (host, run, stop) in _operators)
        {
            try
            {
                await run.WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
            {
            }

            await host.DisposeAsync();
            stop.Dispose();
        }

        Client.Dispose();
        await Cluster.DisposeAsync();
        _stop.Dispose();
    }
}
