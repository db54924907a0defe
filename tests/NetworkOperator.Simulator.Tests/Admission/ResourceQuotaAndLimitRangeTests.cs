using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Simulator.Tests.Admission;

/// <summary>
/// ResourceQuota and LimitRanger admission with the quota controller, as on a 1.32 cluster: quotas are counted into
/// <c>status</c>, creates beyond them are refused with the plugins' 403s and charged when admitted, deletions release
/// usage, and LimitRange defaults are written into pods.
/// </summary>
public sealed class ResourceQuotaAndLimitRangeTests : IAsyncLifetime
{
    private SimulatedApiServer _server = null!;
    private Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await SimulatedApiServer.StartNewAsync();
        _client = _server.CreateClient();
        await _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team" } });
        await Eventually.TrueAsync(async () => (await _client.CoreV1.ListNamespacedServiceAccountAsync("team")).Items.Any(s => s.Name() == "default"),
            "default ServiceAccount in team");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Pods_beyond_a_count_quota_are_refused_until_one_is_deleted()
    {
        await CreateQuotaAsync("pods", new() { ["pods"] = "2" });
        await CreatePodAsync("p1");
        await CreatePodAsync("p2");

        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => CreatePodAsync("p3"));

        Assert.Equal(HttpStatusCode.Forbidden, refused.Response.StatusCode);
        Assert.Equal("pods \"p3\" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=2, limited: pods=2",
            KubernetesJson.Deserialize<V1Status>(refused.Response.Content).Message);
        Assert.Equal("2", (await _client.CoreV1.ReadNamespacedResourceQuotaAsync("pods", "team")).Status.Used["pods"].ToString());

        await _client.CoreV1.DeleteNamespacedPodAsync("p1", "team", new V1DeleteOptions { GracePeriodSeconds = 0 });
        await Eventually.TrueAsync(async () => (await _client.CoreV1.ReadNamespacedResourceQuotaAsync("pods", "team")).Status.Used["pods"].ToString() == "1",
            "usage released by the quota controller");
        await CreatePodAsync("p3");

        // Without the quota nothing is counted any more.
        await _client.CoreV1.DeleteNamespacedResourceQuotaAsync("pods", "team");
        await CreatePodAsync("p4");
        await CreatePodAsync("p5");
    }

    [Fact]
    public async Task Compute_quota_needs_the_resources_stated_and_counts_requests()
    {
        await CreateQuotaAsync("compute", new() { ["requests.cpu"] = "1", ["limits.memory"] = "1Gi" });

        var unstated = await Assert.ThrowsAsync<HttpOperationException>(() => CreatePodAsync("bare"));
        Assert.Equal("pods \"bare\" is forbidden: failed quota: compute: must specify limits.memory for: app; requests.cpu for: app",
            KubernetesJson.Deserialize<V1Status>(unstated.Response.Content).Message);

        await CreatePodAsync("a", cpu: "600m", memory: "256Mi");
        var exceeded = await Assert.ThrowsAsync<HttpOperationException>(() => CreatePodAsync("b", cpu: "600m", memory: "256Mi"));
        Assert.Equal("pods \"b\" is forbidden: exceeded quota: compute, requested: requests.cpu=600m, used: requests.cpu=600m, limited: requests.cpu=1",
            KubernetesJson.Deserialize<V1Status>(exceeded.Response.Content).Message);

        var used = (await _client.CoreV1.ReadNamespacedResourceQuotaAsync("compute", "team")).Status.Used;
        Assert.Equal("600m", used["requests.cpu"].ToString());
        Assert.Equal("256Mi", used["limits.memory"].ToString());
    }

    [Fact]
    public async Task Scoped_quota_counts_only_the_pods_its_scope_selects()
    {
        await CreateQuotaAsync("best-effort", new() { ["pods"] = "1" }, scopes: ["BestEffort"]);
        await CreatePodAsync("burstable-1", cpu: "100m", memory: "64Mi");
        await CreatePodAsync("burstable-2", cpu: "100m", memory: "64Mi");
        await CreatePodAsync("best-effort-1");

        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => CreatePodAsync("best-effort-2"));

        Assert.Contains("exceeded quota: best-effort, requested: pods=1, used: pods=1, limited: pods=1",
            KubernetesJson.Deserialize<V1Status>(refused.Response.Content).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Object_count_quota_counts_what_the_namespace_already_holds()
    {
        // kube-root-ca.crt is already there.
        await CreateQuotaAsync("objects", new() { ["count/configmaps"] = "2" });
        await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c1" } }, "team");

        var refused = await Assert.ThrowsAsync<HttpOperationException>(() =>
            _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c2" } }, "team"));

        Assert.Equal("configmaps \"c2\" is forbidden: exceeded quota: objects, requested: count/configmaps=1, used: count/configmaps=2, limited: count/configmaps=2",
            KubernetesJson.Deserialize<V1Status>(refused.Response.Content).Message);
    }

    [Fact]
    public async Task LimitRange_defaults_containers_and_refuses_what_exceeds_its_max()
    {
        await _client.CoreV1.CreateNamespacedLimitRangeAsync(new V1LimitRange
        {
            Metadata = new V1ObjectMeta { Name = "limits" },
            Spec = new V1LimitRangeSpec
            {
                Limits =
                [
                    new V1LimitRangeItem
                    {
                        Type = "Container",
                        Max = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1") },
                        DefaultRequest = new Dictionary<string, ResourceQuantity> { ["memory"] = new("64Mi") },
                    },
                ],
            },
        }, "team");

        var stored = await _client.CoreV1.ReadNamespacedLimitRangeAsync("limits", "team");
        Assert.Equal("1", stored.Spec.Limits[0].DefaultProperty["cpu"].ToString());
        Assert.Equal("1", stored.Spec.Limits[0].DefaultRequest["cpu"].ToString());

        await CreatePodAsync("defaulted");
        var pod = await _client.CoreV1.ReadNamespacedPodAsync("defaulted", "team");
        Assert.Equal("1", pod.Spec.Containers[0].Resources.Limits["cpu"].ToString());
        Assert.Equal("64Mi", pod.Spec.Containers[0].Resources.Requests["memory"].ToString());
        Assert.Equal("LimitRanger plugin set: cpu, memory request for container app; cpu limit for container app",
            pod.Metadata.Annotations["kubernetes.io/limit-ranger"]);

        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => CreatePodAsync("big", cpu: "2", memory: "64Mi", cpuLimit: "2"));
        Assert.Equal("pods \"big\" is forbidden: maximum cpu usage per Container is 1, but limit is 2",
            KubernetesJson.Deserialize<V1Status>(refused.Response.Content).Message);
    }

    [Fact]
    public async Task LimitRange_ratio_pod_totals_and_claim_sizes_are_enforced()
    {
        await _client.CoreV1.CreateNamespacedLimitRangeAsync(new V1LimitRange
        {
            Metadata = new V1ObjectMeta { Name = "bounds" },
            Spec = new V1LimitRangeSpec
            {
                Limits =
                [
                    new V1LimitRangeItem { Type = "Container", MaxLimitRequestRatio = new Dictionary<string, ResourceQuantity> { ["memory"] = new("2") } },
                    new V1LimitRangeItem { Type = "Pod", Max = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1") } },
                    new V1LimitRangeItem { Type = "PersistentVolumeClaim", Min = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") } },
                ],
            },
        }, "team");

        var ratio = await Assert.ThrowsAsync<HttpOperationException>(() => CreatePodAsync("spiky", cpu: "500m", memory: "64Mi", cpuLimit: "500m", memoryLimit: "256Mi"));
        Assert.Equal("pods \"spiky\" is forbidden: memory max limit to request ratio per Container is 2, but provided ratio is 4.000000",
            KubernetesJson.Deserialize<V1Status>(ratio.Response.Content).Message);

        var total = await Assert.ThrowsAsync<HttpOperationException>(() => CreatePodAsync("greedy", cpu: "2", memory: "64Mi", cpuLimit: "2"));
        Assert.Equal("pods \"greedy\" is forbidden: maximum cpu usage per Pod is 1, but limit is 2",
            KubernetesJson.Deserialize<V1Status>(total.Response.Content).Message);

        var claim = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(new V1PersistentVolumeClaim
        {
            Metadata = new V1ObjectMeta { Name = "tiny" },
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = ["ReadWriteOnce"],
                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("100Mi") } },
            },
        }, "team"));
        Assert.Equal("persistentvolumeclaims \"tiny\" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 100Mi",
            KubernetesJson.Deserialize<V1Status>(claim.Response.Content).Message);
    }

    [Fact]
    public async Task Service_quota_counts_load_balancers()
    {
        await CreateQuotaAsync("lb", new() { ["services.loadbalancers"] = "0" });

        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "edge" },
            Spec = new V1ServiceSpec { Type = "LoadBalancer", Ports = [new V1ServicePort { Port = 443 }], Selector = new Dictionary<string, string> { ["app"] = "edge" } },
        }, "team"));

        Assert.Equal("services \"edge\" is forbidden: exceeded quota: lb, requested: services.loadbalancers=1, used: services.loadbalancers=0, limited: services.loadbalancers=0",
            KubernetesJson.Deserialize<V1Status>(refused.Response.Content).Message);
        await _client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "internal" },
            Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 80 }], Selector = new Dictionary<string, string> { ["app"] = "internal" } },
        }, "team");
    }

    private async Task CreateQuotaAsync(string name, Dictionary<string, string> hard, IList<string>? scopes = null)
    {
        await _client.CoreV1.CreateNamespacedResourceQuotaAsync(new V1ResourceQuota
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1ResourceQuotaSpec { Hard = hard.ToDictionary(kv => kv.Key, kv => new ResourceQuantity(kv.Value)), Scopes = scopes },
        }, "team");
        await Eventually.TrueAsync(async () => (await _client.CoreV1.ReadNamespacedResourceQuotaAsync(name, "team")).Status?.Used?.Count == hard.Count,
            $"quota {name} counted");
    }

    private Task<V1Pod> CreatePodAsync(string name, string? cpu = null, string? memory = null, string? cpuLimit = null, string? memoryLimit = null)
    {
        var requests = new Dictionary<string, ResourceQuantity>();
        var limits = new Dictionary<string, ResourceQuantity>();
        if (cpu is not null)
        {
            requests["cpu"] = new ResourceQuantity(cpu);
        }

        if (memory is not null)
        {
            requests["memory"] = new ResourceQuantity(memory);
            limits["memory"] = new ResourceQuantity(memoryLimit ?? memory);
        }

        if (cpuLimit is not null)
        {
            limits["cpu"] = new ResourceQuantity(cpuLimit);
        }

        return _client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1PodSpec
            {
                Containers =
                [
                    new V1Container
                    {
                        Name = "app", Image = "example.com/app:1",
                        Resources = requests.Count + limits.Count == 0 ? null : new V1ResourceRequirements { Requests = requests, Limits = limits },
                    },
                ],
            },
        }, "team");
    }
}
