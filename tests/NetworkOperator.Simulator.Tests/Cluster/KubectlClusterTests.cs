using k8s;
using NetworkOperator.Simulator.Cluster;
using KubectlRunner = NetworkOperator.Simulator.Tests.Support.Kubectl;

namespace NetworkOperator.Simulator.Tests.Cluster;

[Trait("Category", "Slow")]
public sealed class KubectlClusterTests
{
    [Fact]
    public async Task Rollout_status_waits_for_the_daemon_set_and_get_pods_wide_shows_nodes_and_ips()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions
        {
            Nodes = ClusterTestNodes.Mixed(),
            KubeletDelay = TimeSpan.FromMilliseconds(500),
        });
        using var kubectl = new KubectlRunner(cluster.Server);
        using var client = cluster.CreateClient();
        await client.AppsV1.CreateNamespacedDaemonSetAsync(ClusterTestNodes.DaemonSet("agent", "example/agent:1",
            nodeSelector: new Dictionary<string, string> { ["feature.node.kubernetes.io/pci-15b3.present"] = "true" }), "default");

        var rollout = (await kubectl.RunAsync("rollout", "status", "daemonset/agent", "-n", "default", "--timeout=90s")).EnsureSuccess();
        Assert.Contains("daemon set \"agent\" successfully rolled out", rollout.Stdout, StringComparison.Ordinal);

        var wide = (await kubectl.RunAsync("get", "pods", "-n", "default", "-o", "wide")).EnsureSuccess();
        var lines = wide.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE", lines[0]);
        Assert.Equal(3, lines.Length - 1);
        foreach (var node in new[] { "ubuntu22-1", "ubuntu22-2", "ubuntu24-1" })
        {
            Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, $@"^agent-[a-z0-9]{{5}}\s+1/1\s+Running\s+0\s+\S+\s+10\.128\.\d+\.\d+\s+{node}\b"));
        }

        var ds = (await kubectl.RunAsync("get", "ds", "agent", "-n", "default")).EnsureSuccess();
        Assert.Matches(@"agent\s+3\s+3\s+3\s+3\s+3", ds.Stdout);

        // A template change: rollout status follows the rolling update to its end.
        (await kubectl.RunAsync("set", "image", "daemonset/agent", "agent=example/agent:2", "-n", "default")).EnsureSuccess();
        var second = (await kubectl.RunAsync("rollout", "status", "daemonset/agent", "-n", "default", "--timeout=90s")).EnsureSuccess();
        Assert.Contains("successfully rolled out", second.Stdout, StringComparison.Ordinal);
        var images = (await kubectl.RunAsync("get", "pods", "-n", "default", "-o", "jsonpath={.items[*].spec.containers[0].image}")).EnsureSuccess();
        Assert.Equal(["example/agent:2", "example/agent:2", "example/agent:2"], images.Stdout.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}
