using NetworkOperator.Tests.Shared;
using k8s;
using k8s.Autorest;
using k8s.Models;
using NetworkOperator.Simulator.Cluster;
using KubectlRunner = NetworkOperator.Simulator.Tests.Support.Kubectl;

namespace NetworkOperator.Simulator.Tests.Cluster;

/// <summary>
/// <c>pods/log</c> as kube-apiserver answers it: the container chosen or the 400 naming the choices, 204 for a pod no
/// node runs, the kubelet's "waiting to start" for a container that never started (an unpullable image), and the text
/// a container wrote, cut by tailLines; through the C# client and kubectl.
/// </summary>
[Trait("Category", "Slow")]
public sealed class PodLogTests
{
    [Fact]
    public async Task Logs_are_served_as_the_real_server_serves_them()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions
        {
            Nodes = ClusterTestNodes.Mixed(),
            UnpullableImages = { "example/missing" },
            SandboxRetryInterval = TimeSpan.FromMilliseconds(200),
        });
        using var client = cluster.CreateClient();
        using var kubectl = new KubectlRunner(cluster.Server);
        await client.CoreV1.CreateNamespacedPodAsync(Pod("one", "ubuntu22-1", ("main", "example/app:1")), "default");
        await client.CoreV1.CreateNamespacedPodAsync(Pod("two", "ubuntu22-1", ("app", "example/app:1"), ("sidecar", "example/side:1")), "default");
        await client.CoreV1.CreateNamespacedPodAsync(Pod("pull", "ubuntu22-1", ("main", "example/missing:1")), "default");
        await client.CoreV1.CreateNamespacedPodAsync(Pod("unbound", null, ("main", "example/app:1"), nodeSelector: "nowhere"), "default");
        await Eventually.TrueAsync(async () => (await client.CoreV1.ReadNamespacedPodAsync("one", "default")).Status?.Phase == "Running" &&
                                               (await client.CoreV1.ReadNamespacedPodAsync("two", "default")).Status?.Phase == "Running" &&
                                               (await client.CoreV1.ReadNamespacedPodAsync("pull", "default")).Status?.ContainerStatuses?[0].State?.Waiting?.Reason == "ImagePullBackOff",
            "the pods running or backing off");

        // A running container that printed nothing: an empty log.
        Assert.Equal(string.Empty, await ReadAsync(client, "one", null));
        cluster.Server.ContainerLogs.Append("default", "one", "main", "line 1\nline 2\nline 3");
        Assert.Equal("line 1\nline 2\nline 3\n", await ReadAsync(client, "one", null));
        Assert.Equal("line 3\n", await ReadAsync(client, "one", null, tailLines: 1));
        var logs = (await kubectl.RunAsync("logs", "one", "-n", "default", "--tail=2")).EnsureSuccess();
        Assert.Equal("line 2\nline 3\n", logs.Stdout);

        var choose = await Assert.ThrowsAsync<HttpOperationException>(() => ReadAsync(client, "two", null));
        Assert.Equal(400, (int)choose.Response.StatusCode);
        Assert.Contains("a container name must be specified for pod two, choose one of: [app sidecar]", choose.Response.Content, StringComparison.Ordinal);
        // kubectl itself picks the first container of a pod with several (and says so), then asks for that one.
        var kubectlChoose = (await kubectl.RunAsync("logs", "two", "-n", "default")).EnsureSuccess();
        Assert.Contains("Defaulted container \"app\" out of: app, sidecar", kubectlChoose.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, await ReadAsync(client, "two", "sidecar"));
        var invalid = await Assert.ThrowsAsync<HttpOperationException>(() => ReadAsync(client, "two", "nope"));
        Assert.Contains("container nope is not valid for pod two", invalid.Response.Content, StringComparison.Ordinal);

        var waiting = await Assert.ThrowsAsync<HttpOperationException>(() => ReadAsync(client, "pull", null));
        Assert.Equal(400, (int)waiting.Response.StatusCode);
        Assert.Contains("container \\\"main\\\" in pod \\\"pull\\\" is waiting to start: trying and failing to pull image", waiting.Response.Content, StringComparison.Ordinal);
        var events = await client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "involvedObject.name=pull");
        Assert.Contains(events.Items, e => e.Reason == "Failed" && e.Message.StartsWith("Failed to pull image \"example/missing:1\"", StringComparison.Ordinal));
        Assert.Contains(events.Items, e => e.Reason == "BackOff" && e.Message == "Back-off pulling image \"example/missing:1\"");

        // No node: nothing to stream.
        Assert.Equal(string.Empty, await ReadAsync(client, "unbound", null));
        await Assert.ThrowsAsync<HttpOperationException>(() => ReadAsync(client, "absent", null));
    }

    private static V1Pod Pod(string name, string? node, (string Name, string Image) first, (string Name, string Image)? second = null, string? nodeSelector = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec
        {
            NodeName = node,
            NodeSelector = nodeSelector is null ? null : new Dictionary<string, string> { ["pool"] = nodeSelector },
            Containers = [.. new[] { first }.Concat(second is { } s ? [s] : []).Select(c => new V1Container { Name = c.Name, Image = c.Image })],
        },
    };

    private static async Task<string> ReadAsync(Kubernetes client, string pod, string? container, int? tailLines = null)
    {
        using var stream = await client.CoreV1.ReadNamespacedPodLogAsync(pod, "default", container: container, tailLines: tailLines);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
