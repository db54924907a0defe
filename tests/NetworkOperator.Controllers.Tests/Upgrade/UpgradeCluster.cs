using NetworkOperator.Controllers.Tests.Integration;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Controllers.Hosting;
using NetworkOperator.Controllers.Startup;
using NetworkOperator.Controllers.Upgrade;
using NetworkOperator.Runtime.Client;
using NetworkOperator.Simulator.Cluster;

namespace NetworkOperator.Controllers.Tests.Upgrade;

/// <summary>
/// A <see cref="SimulatedCluster"/> (DaemonSet, Deployment and ReplicaSet controllers, scheduler, kubelets, Eviction
/// API with PodDisruptionBudgets) with the whole operator (<see cref="OperatorHost"/>) running in-process against it,
/// which can be stopped and started again mid-upgrade. Timings are shortened but real-clock.
/// </summary>
internal sealed class UpgradeCluster : IAsyncDisposable
{
    public const string Namespace = "nvidia-network-operator";
    public const string PolicyName = "nic-cluster-policy";
    public const string Repository = "nvcr.io/nvidia/mellanox";

    private RunningOperator? _operator;

    private UpgradeCluster(SimulatedCluster cluster)
    {
        Cluster = cluster;
        Client = cluster.CreateClient();
    }

    public SimulatedCluster Cluster { get; }

    public Kubernetes Client { get; }

    // OPERATOR_TEST_LOGS=1 shows the operator's log while debugging a test.
    private static ILoggerFactory Logs { get; } = System.Environment.GetEnvironmentVariable("OPERATOR_TEST_LOGS") == "1"
        ? LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Information))
        : NullLoggerFactory.Instance;

    /// <summary>Starts <paramref name="nodes"/> NIC nodes (all Mellanox, several driver pools), the namespace and the CRDs.</summary>
    public static async Task<UpgradeCluster> StartAsync(int nodes)
    {
        var cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions
        {
            NodeCount = nodes,
            SyntheticNodes = { CpuOnlyShare = 0 },
            KubeletDelay = TimeSpan.FromMilliseconds(20),
            ContainerStopDelay = TimeSpan.FromMilliseconds(20),
        });
        var result = new UpgradeCluster(cluster);
        await result.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } });
        await CrdInstaller.InstallAsync(result.Client, NullLogger.Instance, TimeProvider.System, CancellationToken.None);
        return result;
    }

    /// <summary>Environment variables of the operator beyond the namespace (e.g. the maintenance-operator ones).</summary>
    public OperatorEnvironment Environment { get; set; } = new();

    /// <summary>The upgrade's periodic re-run; a test that must not lean on it sets it long.</summary>
    public TimeSpan RequeueInterval { get; set; } = TimeSpan.FromSeconds(5);

    public async Task StartOperatorAsync()
    {
        Assert.Null(_operator);
        var client = Cluster.CreateClient();
        var host = await OperatorHost.CreateAsync(client, new OperatorOptions
        {
            Environment = Environment with { Namespace = Namespace, NotReadyRequeue = TimeSpan.FromMilliseconds(300) },
            Tags = new OfflineTagLister(),
            Upgrade = new UpgradeControllerOptions
            {
                EvictionRetryInterval = TimeSpan.FromMilliseconds(200),
                DeletionPollInterval = TimeSpan.FromMilliseconds(100),
                StalledRequeueInterval = TimeSpan.FromMilliseconds(300),
                RequeueInterval = RequeueInterval,
                MaintenancePollInterval = TimeSpan.FromMilliseconds(200),
            },
        }, Logs);
        var stop = new CancellationTokenSource();
        _operator = new RunningOperator(host, client, stop, Task.Run(() => host.RunAsync(stop.Token)));
    }

    /// <summary>Stops the operator as a kill would leave things: whatever it was doing is cut short.</summary>
    /// <summary>Reconciles the running operator's <paramref name="controller"/> has finished so far.</summary>
    public double Reconciles(string controller) =>
        OperatorFixture.Reconciles((_operator ?? throw new InvalidOperationException("no operator running")).Host, controller);

    public async Task StopOperatorAsync()
    {
        var running = _operator ?? throw new InvalidOperationException("no operator running");
        _operator = null;
        await running.Stop.CancelAsync();
        try
        {
            await running.Run.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (OperationCanceledException)
        {
        }

        await running.Host.DisposeAsync();
        running.Client.Dispose();
        running.Stop.Dispose();
    }

    public async Task CreatePolicyAsync(string version, DriverUpgradePolicySpec upgrade) =>
        await new ResourceClient<NicClusterPolicy>(Client).CreateAsync(new NicClusterPolicy
        {
            Metadata = new V1ObjectMeta { Name = PolicyName },
            Spec = new NicClusterPolicySpec
            {
                OfedDriver = new OfedDriverSpec { Image = "doca-driver", Repository = Repository, Version = version, UpgradePolicy = upgrade },
            },
        });

    /// <summary>A merge patch of the policy's spec (the operator writes its status meanwhile).</summary>
    public async Task PatchPolicySpecAsync(string ofedDriverJson) =>
        await Client.CustomObjects.PatchClusterCustomObjectAsync(
            new V1Patch($$$"""{"spec":{"ofedDriver":{{{ofedDriverJson}}}}}""", V1Patch.PatchType.MergePatch),
            ApiGroup.Group, ApiGroup.Version, NicClusterPolicy.KubePlural, PolicyName);

    public Task<NicClusterPolicy?> PolicyAsync() => new ResourceClient<NicClusterPolicy>(Client).GetAsync(null, PolicyName);

    /// <summary>A Deployment of ready-at-once pods; <paramref name="node"/> pins it to one node.</summary>
    public async Task CreateDeploymentAsync(string name, int replicas, string? node = null)
    {
        var labels = new Dictionary<string, string> { ["app"] = name };
        await Client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
            Spec = new V1DeploymentSpec
            {
                Replicas = replicas,
                Selector = new V1LabelSelector { MatchLabels = labels },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec
                    {
                        Containers = [new V1Container { Name = "app", Image = "registry.example/" + name + ":1" }],
                        NodeSelector = node is null ? null : new Dictionary<string, string> { [Labels.Hostname] = node },
                    },
                },
            },
        }, "default");
    }

    public async Task CreateBudgetAsync(string name, string app, int? minAvailable = null, int? maxUnavailable = null) =>
        await Client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(new V1PodDisruptionBudget
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
            Spec = new V1PodDisruptionBudgetSpec
            {
                MinAvailable = minAvailable, MaxUnavailable = maxUnavailable,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = app } },
            },
        }, "default");

    public async Task<List<V1Pod>> RunningPodsAsync(string app) =>
        [.. (await Client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=" + app)).Items
            .Where(p => p.Status?.Phase == "Running" && p.Metadata.DeletionTimestamp is null)];

    public async Task<Dictionary<string, string>> StatesAsync() =>
        (await Client.CoreV1.ListNodeAsync()).Items.ToDictionary(n => n.Metadata.Name,
            n => n.Metadata.Labels is { } l && l.TryGetValue(Labels.UpgradeState, out var s) ? s : "", StringComparer.Ordinal);

    /// <summary>Nodes that are <c>upgrade-done</c> and run a ready driver pod of <paramref name="version"/>.</summary>
    public async Task<List<string>> NodesDoneWithAsync(string version)
    {
        var states = await StatesAsync();
        var pods = (await Client.CoreV1.ListNamespacedPodAsync(Namespace, labelSelector: Labels.OfedDriver)).Items;
        return [.. states.Where(s => s.Value == UpgradeStates.UpgradeDone && pods.Any(p => p.Spec.NodeName == s.Key
                && p.Metadata.DeletionTimestamp is null && p.Spec.Containers.Any(c => c.Image.Contains(version, StringComparison.Ordinal))
                && p.Status?.ContainerStatuses?.All(c => c.Ready) == true))
            .Select(s => s.Key).Order(StringComparer.Ordinal)];
    }

    /// <summary>Events recorded on nodes with <paramref name="reason"/>, counted per node (an event's count included).</summary>
    public async Task<Dictionary<string, int>> NodeEventsAsync(string reason) =>
        (await Client.CoreV1.ListEventForAllNamespacesAsync()).Items
            .Where(e => e.InvolvedObject.Kind == "Node" && e.Reason == reason)
            .GroupBy(e => e.InvolvedObject.Name)
            .ToDictionary(g => g.Key, g => g.Sum(e => e.Count ?? 1), StringComparer.Ordinal);

    public async ValueTask DisposeAsync()
    {
        if (_operator is not null)
        {
            await StopOperatorAsync();
        }

        Client.Dispose();
        await Cluster.DisposeAsync();
    }

    private sealed record RunningOperator(OperatorHost Host, Kubernetes Client, CancellationTokenSource Stop, Task Run);
}
