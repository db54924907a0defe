using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using NetworkOperator.Api.Contract;
using NetworkOperator.Controllers.Startup;
using NetworkOperator.Simulator.Cluster;
using NetworkOperator.Tests.Shared;
using NetworkOperator.Tools.Demo;
using Xunit.Abstractions;

namespace NetworkOperator.Cli.Tests;

/// <summary>
/// A driver upgrade (autoUpgrade with drain, maxParallelUpgrades 1) while the test SIGKILLs the operator process at
/// random moments: an observer samples the nodes all along and at no observed moment are more nodes cordoned than
/// maxParallelUpgrades, no node that finished its upgrade is cordoned again, and the last operator brings every NIC node
/// to upgrade-done on the new driver. CHAOS_SEED=N reruns with other kill moments.
/// </summary>
[Trait("Category", "Slow")]
public sealed class UpgradeChaosTests(ITestOutputHelper output) : IDisposable
{
    private const string Namespace = "nvidia-network-operator";
    private const string OldVersion = "doca3.0.0-25.04-0.6.1.0-2";
    private const string NewVersion = "doca3.1.0-25.07-0.9.8.0-0";
    private const int MaxParallel = 1;

    private readonly string _directory = Directory.CreateTempSubdirectory("upgrade-chaos-").FullName;

    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("CHAOS_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out var seed)
        ? seed
        : 20261206;

    [Fact]
    public async Task SIGKILLs_during_a_driver_upgrade_never_cordon_more_than_maxParallelUpgrades_nor_a_finished_node_again()
    {
        var random = new Random(Seed);
        output.WriteLine($"chaos seed {Seed}");
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions
        {
            NodeCount = 3,
            SyntheticNodes = { CpuOnlyShare = 0 },
            KubeletDelay = TimeSpan.FromMilliseconds(20),
            ContainerStopDelay = TimeSpan.FromMilliseconds(20),
        });
        var client = cluster.CreateClient();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } });
        await CrdInstaller.InstallAsync(client, NullLogger.Instance, TimeProvider.System, CancellationToken.None);
        await client.CustomObjects.CreateClusterCustomObjectAsync(Policy(OldVersion), "mellanox.com", "v1alpha1", "nicclusterpolicies");
        var kubeconfig = await ChartOperatorIdentity.WriteKubeconfigAsync(cluster.Server, Namespace, Path.Combine(_directory, "kubeconfig"));
        var nicNodes = (await client.CoreV1.ListNodeAsync(labelSelector: Labels.NicPresent + "=true")).Items.Count;
        Assert.True(nicNodes >= 2, $"the upgrade needs several NIC nodes, got {nicNodes}");

        using (var first = StartOperator(kubeconfig))
        {
            await first.UntilAsync(async () => await UpgradedAsync(client, OldVersion, nicNodes), "the first driver ready", Eventually.Timeout * 3);
            first.Kill();
        }

        // Observed from now until the end: cordoned nodes at each sample, and nodes cordoned again after upgrade-done.
        var violations = new ConcurrentQueue<string>();
        using var stopObserving = new CancellationTokenSource();
        var observer = ObserveAsync(client, violations, stopObserving.Token);

        await client.CustomObjects.PatchClusterCustomObjectAsync(new V1Patch(
            new JsonObject { ["spec"] = new JsonObject { ["ofedDriver"] = new JsonObject { ["version"] = NewVersion } } }.ToJsonString(),
            V1Patch.PatchType.MergePatch), "mellanox.com", "v1alpha1", "nicclusterpolicies", "nic-cluster-policy");

        // From the version change on, 10 % of the operator's requests fail (500, 503, 429) and every watch churns; the
        // observer, as the admin, is spared the errors so every sample counts.
        await using var chaos = ApiChaos.Start(cluster.Server.Faults, 0.10, ChartOperatorIdentity.UserName(Namespace));
        for (var kill = 1; kill <= 4; kill++)
        {
            using var op = StartOperator(kubeconfig);
            var after = TimeSpan.FromMilliseconds(random.Next(1500, 6000));
            await Task.Delay(after);
            Assert.False(op.HasExited, $"the operator exited by itself:\n{op.Output}");
            op.Kill();
            output.WriteLine($"SIGKILL {kill} after {after.TotalSeconds:0.0} s");
        }

        using var last = StartOperator(kubeconfig);
        await last.UntilAsync(async () => await UpgradedAsync(client, NewVersion, nicNodes), "every NIC node upgraded", Eventually.Timeout * 4);
        await stopObserving.CancelAsync();
        var (samples, underWay) = await observer;

        output.WriteLine($"{samples} samples of the nodes during the upgrade, {underWay} while it was under way");
        Assert.True(samples > 10, $"the observer sampled the nodes only {samples} times");
        Assert.True(underWay > 0, "no node was ever seen cordoned or upgrading: the upgrade was not observed");
        Assert.True(violations.IsEmpty, string.Join(Environment.NewLine, violations));
        Assert.DoesNotContain("Unhandled exception", last.Output, StringComparison.Ordinal);
        var nodes = (await client.CoreV1.ListNodeAsync()).Items;
        Assert.DoesNotContain(nodes, n => n.Spec.Unschedulable == true);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // Returns how many samples were taken and in how many of them the upgrade was under way (a node cordoned or in an upgrade state other than done).
    private static async Task<(int Samples, int UnderWay)> ObserveAsync(Kubernetes client, ConcurrentQueue<string> violations, CancellationToken cancellationToken)
    {
        var samples = 0;
        var underWay = 0;
        var done = new HashSet<string>(StringComparer.Ordinal);
        while (!cancellationToken.IsCancellationRequested)
        {
            IList<V1Node> nodes;
            IList<V1Pod> drivers;
            try
            {
                nodes = (await client.CoreV1.ListNodeAsync(cancellationToken: cancellationToken)).Items;
                drivers = (await client.CoreV1.ListNamespacedPodAsync(Namespace, labelSelector: Labels.OfedDriver, cancellationToken: cancellationToken)).Items;
            }
            catch (OperationCanceledException)
            {
                break;
            }

            samples++;
            var cordoned = nodes.Where(n => n.Spec.Unschedulable == true).Select(n => n.Metadata.Name).ToList();
            underWay += cordoned.Count > 0 || nodes.Any(n => n.Metadata.Labels?.TryGetValue(Labels.UpgradeState, out var state) == true
                && state is not ("upgrade-done" or "")) ? 1 : 0;
            if (cordoned.Count > MaxParallel)
            {
                violations.Enqueue($"{cordoned.Count} nodes cordoned at once: {string.Join(", ", cordoned)}");
            }

            foreach (var node in nodes)
            {
                var name = node.Metadata.Name;
                if (done.Contains(name) && node.Spec.Unschedulable == true)
                {
                    violations.Enqueue($"{name} cordoned again after its upgrade to {NewVersion} was done");
                }

                // Done means done with the new driver: before the version change every node is upgrade-done on the old one.
                var state = node.Metadata.Labels?.TryGetValue(Labels.UpgradeState, out var s) == true ? s : null;
                if (state == "upgrade-done" && node.Spec.Unschedulable != true && drivers.Any(p => p.Spec.NodeName == name
                    && p.Metadata.DeletionTimestamp is null && p.Spec.Containers.Any(c => c.Image.Contains(NewVersion, StringComparison.Ordinal))
                    && p.Status?.ContainerStatuses?.All(c => c.Ready) == true))
                {
                    done.Add(name);
                }
            }

            try
            {
                await Task.Delay(100, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return (samples, underWay);
    }

    // Every NIC node runs a ready driver pod of the version, is upgrade-done and schedulable again (the pod turns ready
    // a step before the upgrade uncordons its node, and the policy's readiness follows the pods), and the policy is ready.
    private static async Task<bool> UpgradedAsync(Kubernetes client, string version, int nicNodes)
    {
        var nodes = (await client.CoreV1.ListNodeAsync(labelSelector: Labels.NicPresent + "=true")).Items;
        if (nodes.Any(n => n.Spec.Unschedulable == true
            || n.Metadata.Labels?.TryGetValue(Labels.UpgradeState, out var state) != true || state != "upgrade-done"))
        {
            return false;
        }

        var drivers = (await client.CoreV1.ListNamespacedPodAsync(Namespace, labelSelector: Labels.OfedDriver)).Items
            .Where(p => p.Metadata.DeletionTimestamp is null).ToList();
        var upgraded = drivers.Where(p => p.Spec.Containers.Any(c => c.Image.Contains(version, StringComparison.Ordinal))
            && p.Status?.ContainerStatuses?.All(c => c.Ready) == true).ToList();
        var policy = JsonNode.Parse(KubernetesJson.Serialize(
            await client.CustomObjects.GetClusterCustomObjectAsync("mellanox.com", "v1alpha1", "nicclusterpolicies", "nic-cluster-policy")));
        return upgraded.Count == nicNodes && drivers.Count == nicNodes
            && policy?["status"]?["state"]?.GetValue<string>() == "ready";
    }

    private static JsonObject Policy(string version) => new()
    {
        ["apiVersion"] = "mellanox.com/v1alpha1",
        ["kind"] = "NicClusterPolicy",
        ["metadata"] = new JsonObject { ["name"] = "nic-cluster-policy" },
        ["spec"] = new JsonObject
        {
            ["ofedDriver"] = new JsonObject
            {
                ["image"] = "doca-driver",
                ["repository"] = "nvcr.io/nvidia/mellanox",
                ["version"] = version,
                ["upgradePolicy"] = new JsonObject
                {
                    ["autoUpgrade"] = true,
                    ["maxParallelUpgrades"] = MaxParallel,
                    ["drain"] = new JsonObject { ["enable"] = true, ["force"] = true, ["podSelector"] = "", ["timeoutSeconds"] = 300, ["deleteEmptyDir"] = true },
                },
            },
        },
    };

    private static BackgroundCli StartOperator(string kubeconfig) => BackgroundCli.Start(
        ["run", "--kubeconfig", kubeconfig, "--metrics-bind-address", "0", "--health-probe-bind-address", "0"],
        new Dictionary<string, string>
        {
            ["POD_NAMESPACE"] = Namespace,
            ["OFED_PRECOMPILED_TAG_LISTER"] = "offline",
            ["CONTROLLER_REQUEST_REQUEUE_SECONDS"] = "1",
        });
}
