using NetworkOperator.Tests.Shared;
using k8s;
using NetworkOperator.Simulator.Cluster;

namespace NetworkOperator.Simulator.Tests.Cluster;

/// <summary>A kubelet always reports capacity and addresses; inventories written by hand get them when they join.</summary>
public sealed class NodeStatusDefaultsTests
{
    [Fact]
    public async Task Inventory_nodes_without_capacity_get_the_synthetic_defaults_and_given_values_are_kept()
    {
        var file = Path.Combine(Path.GetTempPath(), $"nodes-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: Node
              metadata:
                name: bare
            - apiVersion: v1
              kind: Node
              metadata:
                name: sized
              status:
                capacity:
                  cpu: "8"
                  nvidia.com/gpu: "4"
                addresses:
                - type: InternalIP
                  address: 10.0.0.1
            """);
        try
        {
            await using var cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions { NodesFile = file });
            using var client = cluster.CreateClient();

            var bare = await client.CoreV1.ReadNodeAsync("bare");
            Assert.Equal(("64", "263842296Ki", "110", "959786032Ki"),
                (bare.Status.Capacity["cpu"].ToString(), bare.Status.Capacity["memory"].ToString(), bare.Status.Capacity["pods"].ToString(),
                    bare.Status.Capacity["ephemeral-storage"].ToString()));
            Assert.Equal(("63500m", "261642296Ki", "110"),
                (bare.Status.Allocatable["cpu"].ToString(), bare.Status.Allocatable["memory"].ToString(), bare.Status.Allocatable["pods"].ToString()));
            // The inventory's address 10.0.0.1 is taken, so the bare node gets the next one.
            Assert.Equal([("InternalIP", "10.0.0.2"), ("Hostname", "bare")], bare.Status.Addresses.Select(a => (a.Type, a.Address)));
            Assert.Equal("True", bare.Status.Conditions.Single(c => c.Type == "Ready").Status);

            var sized = await client.CoreV1.ReadNodeAsync("sized");
            Assert.Equal("8", sized.Status.Capacity["cpu"].ToString());
            Assert.Equal("8", sized.Status.Allocatable["cpu"].ToString());
            Assert.Equal("4", sized.Status.Allocatable["nvidia.com/gpu"].ToString());
            Assert.Equal("263842296Ki", sized.Status.Capacity["memory"].ToString());
            Assert.Equal([("InternalIP", "10.0.0.1"), ("Hostname", "sized")], sized.Status.Addresses.Select(a => (a.Type, a.Address)));

            // A pod requesting CPU fits (it would stay Pending with "Insufficient cpu" on a node without capacity).
            await client.CoreV1.CreateNamespacedPodAsync(TestObjects.Pod("worker", new Dictionary<string, string> { ["cpu"] = "2" }), "default");
            await Eventually.TrueAsync(async () => (await client.CoreV1.ReadNamespacedPodAsync("worker", "default")).Status?.Phase == "Running", "the pod started");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
