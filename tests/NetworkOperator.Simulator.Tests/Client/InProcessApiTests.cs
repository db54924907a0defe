using System.Net;
using k8s.Models;
using NetworkOperator.Simulator.ApiServer;
using NetworkOperator.Simulator.Errors;

namespace NetworkOperator.Simulator.Tests.Client;

/// <summary>The in-process API (no HTTP) goes through the same defaulting, concurrency and lifecycle as HTTP clients.</summary>
public sealed class InProcessApiTests : IAsyncLifetime
{
    private SimulatedApiServer _server = null!;

    public Task InitializeAsync()
    {
        _server = new SimulatedApiServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Typed_create_get_update_status_and_list_without_http()
    {
        var resources = _server.Resources;
        var node = await resources.CreateAsync(new V1Node
        {
            ApiVersion = "v1",
            Kind = "Node",
            Metadata = new V1ObjectMeta { Name = "node-1", Labels = new Dictionary<string, string> { ["role"] = "worker" } },
            Status = new V1NodeStatus { Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }] },
        });
        Assert.Equal("True", node.Status.Conditions.Single().Status);

        var pod = await resources.CreateAsync(new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "default" },
            Spec = new V1PodSpec { NodeName = "node-1", Containers = [new V1Container { Name = "c", Image = "busybox:1.36" }] },
        });
        Assert.Equal("Pending", pod.Status.Phase);
        Assert.Equal("ClusterFirst", pod.Spec.DnsPolicy);

        pod.Status.Phase = "Running";
        var running = await resources.UpdateStatusAsync(pod);
        Assert.Equal("Running", running.Status.Phase);

        var stale = await Assert.ThrowsAsync<ApiException>(() => resources.UpdateStatusAsync(pod));
        Assert.Equal((int)HttpStatusCode.Conflict, stale.Code);

        Assert.Equal(["p"], resources.List<V1Pod>("v1", "Pod", null, new ListOptions { FieldSelector = "spec.nodeName=node-1" }).Select(p => p.Name()));
        Assert.Null(resources.TryGet<V1Pod>("v1", "Pod", "default", "missing"));
        Assert.Equal(0, _server.Requests.Total());
    }
}
