using System.Globalization;
using k8s;
using k8s.Models;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.Crds;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Controllers.Upgrade;
using NetworkOperator.Runtime.Client;
using NetworkOperator.Runtime.Hosting;
using NetworkOperator.Simulator;
using static NetworkOperator.Controllers.Tests.Upgrade.KubeObjectsForTests;

namespace NetworkOperator.Controllers.Tests.Upgrade;

/// <summary>
/// The executor end to end on the embedded API server: the controller runs on a real controller manager (informers,
/// queue), drains through the Eviction API, and the driver DaemonSet/kubelet roles are played by
/// <see cref="DriverDaemonSetStandIn"/>.
/// </summary>
public sealed class DriverUpgradeControllerTests : IAsyncLifetime
{
    private SimulatedApiServer _server = null!;
    private Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await SimulatedApiServer.StartNewAsync();
        _client = _server.CreateClient();
        DriverUpgradeController.RegisterKinds();
        await _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = DriverDaemonSetStandIn.Namespace } });
        foreach (var crd in CrdCatalog.All)
        {
            await _client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        }
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Upgrade_of_50_nodes_keeps_at_most_5_cordoned_evicts_through_the_api_and_resumes_after_a_restart()
    {
        const int nodeCount = 50;
        var nodes = Enumerable.Range(0, nodeCount).Select(i => $"node-{i:D2}").ToList();
        foreach (var node in nodes)
        {
            await CreateNodeAsync(_client, node);
            await CreateRunningPodAsync(_client, "default", "web-" + node, node, new() { ["app"] = "web" });
        }

        await CreateBudgetAsync(_client, "default", "web-pdb", new() { ["app"] = "web" }, minAvailable: nodeCount - 3);
        await using var daemonSet = new DriverDaemonSetStandIn(_client, nodes) { WebReplicas = nodeCount };
        await daemonSet.StartAsync();
        await CreateClusterPolicyAsync(new DriverUpgradePolicySpec
        {
            AutoUpgrade = true, MaxParallelUpgrades = 5, Drain = new DrainSpec { Enable = true, TimeoutSeconds = 120 },
        });

        // First run: every node is labelled upgrade-done (pods in sync), then the template is bumped.
        var run1 = await StartOperatorAsync();
        await WaitForAsync(async () => (await StatesAsync()).Values.All(s => s == UpgradeStates.UpgradeDone), "all nodes upgrade-done initially");
        _server.Requests.Reset();
        await daemonSet.BumpAsync();

        var maxCordoned = 0;
        using var observe = new CancellationTokenSource();
        var observer = Task.Run(async () =>
        {
            while (!observe.IsCancellationRequested)
            {
                var list = await _client.CoreV1.ListNodeAsync();
                maxCordoned = Math.Max(maxCordoned, list.Items.Count(n => n.Spec?.Unschedulable == true));
                await Task.Delay(20);
            }
        });

        await WaitForAsync(async () => (await UpgradedNodesAsync()).Count >= 12, "a dozen nodes upgraded before the restart", 120);
        await run1.StopAsync();
        var finishedBeforeRestart = await UpgradedNodesAsync();
        var drainEventsBefore = await DrainStartedEventsAsync();

        var run2 = await StartOperatorAsync();
        await WaitForAsync(async () => (await UpgradedNodesAsync()).Count == nodeCount, "every node upgraded after the restart", 240);
        await run2.StopAsync();
        await observe.CancelAsync();
        await observer;

        var final = await _client.CoreV1.ListNodeAsync();
        Assert.All(final.Items, n => Assert.Equal(UpgradeStates.UpgradeDone, n.Metadata.Labels[Labels.UpgradeState]));
        Assert.All(final.Items, n => Assert.NotEqual(true, n.Spec.Unschedulable));
        Assert.InRange(maxCordoned, 1, 5);

        // Workload pods left only through the Eviction API; the only pod deletions are the 50 driver pods.
        Assert.Equal(nodeCount, _server.Requests.Get("delete", "pods"));
        Assert.True(_server.Requests.Get("create", "pods/eviction") >= nodeCount, "every node's workload was evicted");

        // No node that had finished before the restart was drained again afterwards.
        var drainEventsAfter = await DrainStartedEventsAsync();
        foreach (var node in finishedBeforeRestart)
        {
            Assert.Equal(drainEventsBefore.GetValueOrDefault(node), drainEventsAfter.GetValueOrDefault(node));
            Assert.Equal(1, drainEventsAfter.GetValueOrDefault(node));
        }

        var policy = await new ResourceClient<NicClusterPolicy>(_client).GetAsync(null, "nic-cluster-policy");
        Assert.Equal(new Dictionary<string, int> { [UpgradeStates.UpgradeDone] = nodeCount }, policy!.Status!.Upgrade!.NodeCountsByState);
    }

    [Fact]
    public async Task Node_whose_budget_never_allows_eviction_ends_failed_naming_the_blocking_pod()
    {
        var nodes = new[] { "node-a", "node-b", "node-c" };
        foreach (var node in nodes)
        {
            await CreateNodeAsync(_client, node);
        }

        await CreateRunningPodAsync(_client, "default", "stuck-0", "node-b", new() { ["app"] = "stuck" });
        await CreateBudgetAsync(_client, "default", "stuck-pdb", new() { ["app"] = "stuck" }, minAvailable: 1);
        await using var daemonSet = new DriverDaemonSetStandIn(_client, nodes);
        await daemonSet.StartAsync();
        await CreateClusterPolicyAsync(new DriverUpgradePolicySpec
        {
            AutoUpgrade = true, MaxParallelUpgrades = 3, Drain = new DrainSpec { Enable = true, TimeoutSeconds = 2 },
        });
        var run = await StartOperatorAsync();
        await WaitForAsync(async () => (await StatesAsync()).Values.All(s => s == UpgradeStates.UpgradeDone), "initially done");

        await daemonSet.BumpAsync();
        await WaitForAsync(async () =>
        {
            var states = await StatesAsync();
            return states["node-b"] == UpgradeStates.UpgradeFailed && (await UpgradedNodesAsync()).Count == 2;
        }, "node-b failed and the others upgraded", 120);
        await WaitForAsync(async () =>
            (await new ResourceClient<NicClusterPolicy>(_client).GetAsync(null, "nic-cluster-policy"))?.Status?.Upgrade?.FailedNodes is { Count: 1 },
            "failed node in status");
        await run.StopAsync();

        var policy = await new ResourceClient<NicClusterPolicy>(_client).GetAsync(null, "nic-cluster-policy");
        var failed = Assert.Single(policy!.Status!.Upgrade!.FailedNodes!);
        Assert.Equal("node-b", failed.Name);
        Assert.Contains("eviction of pod default/stuck-0 blocked by PodDisruptionBudget stuck-pdb", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(1, policy.Status.Upgrade.NodeCountsByState![UpgradeStates.UpgradeFailed]);

        var events = (await _client.CoreV1.ListNamespacedEventAsync("default")).Items;
        Assert.Contains(events, e => e.InvolvedObject.Kind == "Node" && e.InvolvedObject.Name == "node-b" && e.Reason == "DrainBlocked"
            && e.Message == "eviction of pod default/stuck-0 blocked by PodDisruptionBudget stuck-pdb");
        Assert.Contains(events, e => e.InvolvedObject.Kind == "NicClusterPolicy" && e.Reason == "UpgradeFailed" && e.Type == "Warning"
            && e.Message.Contains("node-b", StringComparison.Ordinal));
        Assert.Equal(["default/stuck-0"], (await PodNamesOnAsync(_client, "node-b")).Where(p => p.StartsWith("default/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Turning_auto_upgrade_off_removes_labels_and_uncordons_nodes_the_upgrade_cordoned()
    {
        var nodes = new[] { "node-a", "node-b" };
        foreach (var node in nodes)
        {
            await CreateNodeAsync(_client, node);
        }

        await CreateRunningPodAsync(_client, "default", "stuck-0", "node-a", new() { ["app"] = "stuck" });
        await CreateBudgetAsync(_client, "default", "stuck-pdb", new() { ["app"] = "stuck" }, minAvailable: 1);
        await using var daemonSet = new DriverDaemonSetStandIn(_client, nodes);
        await daemonSet.StartAsync();
        await CreateClusterPolicyAsync(new DriverUpgradePolicySpec
        {
            AutoUpgrade = true, MaxParallelUpgrades = 1, Drain = new DrainSpec { Enable = true, TimeoutSeconds = 0 },
        });
        var run = await StartOperatorAsync();
        await WaitForAsync(async () => (await StatesAsync()).Values.All(s => s == UpgradeStates.UpgradeDone), "initially done");
        await daemonSet.BumpAsync();
        await WaitForAsync(async () => (await StatesAsync())["node-a"] == UpgradeStates.DrainRequired, "node-a draining (blocked)");

        // A patch, not a replace: the operator writes the policy's status meanwhile.
        await _client.CustomObjects.PatchClusterCustomObjectAsync(
            new V1Patch("""{"spec":{"ofedDriver":{"upgradePolicy":{"autoUpgrade":false}}}}""", V1Patch.PatchType.MergePatch),
            ApiGroup.Group, ApiGroup.Version, NicClusterPolicy.KubePlural, "nic-cluster-policy");

        await WaitForAsync(async () => (await _client.CoreV1.ListNodeAsync()).Items.All(n =>
            n.Metadata.Labels?.ContainsKey(Labels.UpgradeState) != true && n.Spec?.Unschedulable != true), "labels removed and node-a uncordoned");
        await run.StopAsync();
    }

    private async Task CreateClusterPolicyAsync(DriverUpgradePolicySpec upgrade)
    {
        var policies = new ResourceClient<NicClusterPolicy>(_client);
        var created = await policies.CreateAsync(new NicClusterPolicy
        {
            Metadata = new V1ObjectMeta { Name = "nic-cluster-policy" },
            Spec = new NicClusterPolicySpec
            {
                OfedDriver = new OfedDriverSpec { Image = "doca-driver", Repository = "nvcr.io/nvidia/mellanox", Version = "25.04-0.6.1.0-2", UpgradePolicy = upgrade },
            },
        });

        // What the policy controller would have written; status.upgrade is added next to it.
        created.Status = new NicPolicyStatus { State = SyncStates.Ready };
        await policies.ReplaceStatusAsync(created);
    }

    private async Task<RunningOperator> StartOperatorAsync()
    {
        var manager = new ControllerManager(_client, new ManagerOptions
        {
            HealthProbeBindAddress = "0", MetricsBindAddress = "0", GracefulShutdownTimeout = TimeSpan.FromSeconds(5),
        });
        var (_, reconciler) = DriverUpgradeController.AddTo(manager, new UpgradeControllerOptions
        {
            EvictionRetryInterval = TimeSpan.FromMilliseconds(200), DeletionPollInterval = TimeSpan.FromMilliseconds(50),
            StalledRequeueInterval = TimeSpan.FromMilliseconds(200),
        });
        var stop = new CancellationTokenSource();
        var task = Task.Run(() => manager.RunAsync(stop.Token));
        return new RunningOperator(manager, reconciler, stop, task);
    }

    private async Task<Dictionary<string, string>> StatesAsync() =>
        (await _client.CoreV1.ListNodeAsync()).Items.ToDictionary(n => n.Metadata.Name,
            n => n.Metadata.Labels is { } l && l.TryGetValue(Labels.UpgradeState, out var s) ? s : "", StringComparer.Ordinal);

    // Nodes that are upgrade-done and run a driver pod of the newest revision.
    private async Task<List<string>> UpgradedNodesAsync()
    {
        var states = await StatesAsync();
        var revisions = (await _client.AppsV1.ListNamespacedControllerRevisionAsync(DriverDaemonSetStandIn.Namespace)).Items;
        var newest = revisions.OrderByDescending(r => r.Revision).First().Metadata.Name[(DriverDaemonSetStandIn.DsName.Length + 1)..];
        var pods = (await _client.CoreV1.ListNamespacedPodAsync(DriverDaemonSetStandIn.Namespace)).Items;
        return [.. states.Where(s => s.Value == UpgradeStates.UpgradeDone
            && pods.Any(p => p.Spec.NodeName == s.Key && p.Metadata.Labels[Labels.ControllerRevisionHash] == newest)).Select(s => s.Key)];
    }

    private async Task<Dictionary<string, int>> DrainStartedEventsAsync() =>
        (await _client.CoreV1.ListNamespacedEventAsync("default")).Items
            .Where(e => e.InvolvedObject.Kind == "Node" && e.Reason == "DrainStarted")
            .GroupBy(e => e.InvolvedObject.Name)
            .ToDictionary(g => g.Key, g => g.Sum(e => e.Count ?? 1), StringComparer.Ordinal);

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after {seconds.ToString(CultureInfo.InvariantCulture)}s waiting for: {what}");
            await Task.Delay(50);
        }
    }

    private sealed record RunningOperator(ControllerManager Manager, DriverUpgradeController Reconciler, CancellationTokenSource Stop, Task Run)
    {
        public async Task StopAsync()
        {
            await Stop.CancelAsync();
            await Run;
            await Reconciler.DisposeAsync();
            await Manager.DisposeAsync();
            Stop.Dispose();
        }
    }
}
