using NetworkOperator.Tests.Shared;
using k8s;
using k8s.Models;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Controllers.Upgrade;
using Xunit.Abstractions;

namespace NetworkOperator.Controllers.Tests.Upgrade;

/// <summary>
/// Issue #7's "reads served from the cache": once the caches have synced, upgrade passes read nodes, driver pods,
/// DaemonSets and ControllerRevisions from them, so a whole upgrade adds no LIST of those kinds, however many passes
/// it takes (the controller used to LIST all of them on every pass).
/// </summary>
public sealed class UpgradeReadsFromCacheTests(ITestOutputHelper output)
{
    private const string OldVersion = "25.04-0.6.1.0-2";
    private const string NewVersion = "25.07-0.9.7.0-0";

    [Fact]
    public async Task An_upgrade_after_the_caches_synced_lists_no_nodes_pods_daemonsets_or_revisions()
    {
        const int nodeCount = 4;
        await using var cluster = await UpgradeCluster.StartAsync(nodeCount);
        await cluster.StartOperatorAsync();
        await cluster.CreatePolicyAsync(OldVersion, new DriverUpgradePolicySpec
        {
            AutoUpgrade = true, MaxParallelUpgrades = 2, Drain = new DrainSpec { Enable = true, TimeoutSeconds = 60 },
        });
        await Eventually.TrueAsync(async () => (await cluster.NodesDoneWithAsync(OldVersion)).Count == nodeCount,
            "every node upgrade-done with the first driver", Eventually.LongTimeout);

        // Follow the nodes with a watch (started before the counters are reset, so its list does not count): a node
        // can go through the whole upgrade between two polls on a loaded machine, a watch sees every step.
        var progress = new UpgradeProgressWatch();
        using var stopWatch = new CancellationTokenSource();
        var initial = await cluster.Client.CoreV1.ListNodeAsync();
        var watching = progress.FollowAsync(cluster.Client, initial.ResourceVersion(), stopWatch.Token);

        var requests = cluster.Cluster.Server.Requests;
        requests.Reset();
        await cluster.PatchPolicySpecAsync($$"""{"version":"{{NewVersion}}"}""");
        await Eventually.TrueAsync(() => Task.FromResult(progress.DoneAgain == nodeCount),
            "every node went through the upgrade and is done again", Eventually.LongTimeout);
        await stopWatch.CancelAsync();
        await watching;

        var lists = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["nodes"] = requests.Get("list", "nodes"),
            ["pods"] = requests.Get("list", "pods", UpgradeCluster.Namespace),
            ["daemonsets"] = requests.Get("list", "daemonsets"),
            ["controllerrevisions"] = requests.Get("list", "controllerrevisions"),
        };
        output.WriteLine($"node patches: {requests.Get("patch", "nodes")}; LISTs: {string.Join(", ", lists.Select(p => $"{p.Key}={p.Value}"))}");

        // The upgrade did run passes (each state change is a node patch) yet listed none of the cached kinds.
        Assert.True(requests.Get("patch", "nodes") >= 2 * nodeCount, $"expected the passes' node patches, saw {requests.Get("patch", "nodes")}");
        Assert.All(lists, p => Assert.Equal(0, p.Value));

        // And it finished for real: every node runs a ready driver of the new version.
        await Eventually.TrueAsync(async () => (await cluster.NodesDoneWithAsync(NewVersion)).Count == nodeCount, "new driver everywhere");
    }

    /// <summary>Counts nodes that left upgrade-done after the version bump and reached it again.</summary>
    private sealed class UpgradeProgressWatch
    {
        private readonly HashSet<string> _left = new(StringComparer.Ordinal);
        private readonly HashSet<string> _doneAgain = new(StringComparer.Ordinal);
        private readonly Lock _gate = new();

        public int DoneAgain
        {
            get
            {
                lock (_gate)
                {
                    return _doneAgain.Count;
                }
            }
        }

        public async Task FollowAsync(Kubernetes client, string resourceVersion, CancellationToken cancellationToken)
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await foreach (var (_, node) in client.CoreV1.WatchListNodeAsync(resourceVersion: resourceVersion, cancellationToken: cancellationToken))
                    {
                        resourceVersion = node.ResourceVersion();
                        var state = node.Metadata.Labels is { } labels && labels.TryGetValue(Api.Contract.Labels.UpgradeState, out var value) ? value : null;
                        lock (_gate)
                        {
                            if (state != UpgradeStates.UpgradeDone)
                            {
                                _left.Add(node.Name());
                            }
                            else if (_left.Contains(node.Name()))
                            {
                                _doneAgain.Add(node.Name());
                            }
                        }
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // a dropped watch is resumed from the last version seen
                catch (Exception) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
                {
                    await Task.Delay(100, CancellationToken.None);
                }
            }
        }
    }
}
