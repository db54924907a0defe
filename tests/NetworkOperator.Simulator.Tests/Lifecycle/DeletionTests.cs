using System.Net;
using NetworkOperator.Tests.Shared;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace NetworkOperator.Simulator.Tests.Lifecycle;

/// <summary>Finalizers, garbage collection through ownerReferences, namespace deletion and eviction with PDBs.</summary>
public sealed class DeletionTests : IAsyncLifetime
{
    private SimulatedApiServer _server = null!;
    private Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await SimulatedApiServer.StartNewAsync();
        _client = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Finalizers_hold_deletion_until_removed()
    {
        await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "held", Finalizers = ["example.com/cleanup"] },
        }, "default");
        await _client.CoreV1.DeleteNamespacedConfigMapAsync("held", "default");
        var marked = await _client.CoreV1.ReadNamespacedConfigMapAsync("held", "default");
        Assert.NotNull(marked.Metadata.DeletionTimestamp);

        marked.Metadata.Finalizers.Add("example.com/another");
        var forbidden = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ReplaceNamespacedConfigMapAsync(marked, "held", "default"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, forbidden.Response.StatusCode);

        await _client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), "held", "default");
        await AssertGoneAsync(() => _client.CoreV1.ReadNamespacedConfigMapAsync("held", "default"));
    }

    [Fact]
    public async Task Background_deletion_collects_dependents_and_keeps_those_with_another_live_owner()
    {
        var owner = await ConfigMap("owner");
        var other = await ConfigMap("other-owner");
        await ConfigMap("child", owner);
        await ConfigMap("shared", owner, other);
        await _client.CoreV1.DeleteNamespacedConfigMapAsync("owner", "default", propagationPolicy: "Background");
        await AssertGoneAsync(() => _client.CoreV1.ReadNamespacedConfigMapAsync("child", "default"));
        await Eventually.TrueAsync(async () => (await _client.CoreV1.ReadNamespacedConfigMapAsync("shared", "default")).OwnerReferences().Count == 1,
            "dangling owner reference removed from the shared dependent");
    }

    [Fact]
    public async Task Foreground_deletion_waits_for_dependents_and_orphan_keeps_them()
    {
        var parent = await ConfigMap("fg-parent");
        await ConfigMap("fg-child", parent);
        await _client.CoreV1.DeleteNamespacedConfigMapAsync("fg-parent", "default", propagationPolicy: "Foreground");
        await AssertGoneAsync(() => _client.CoreV1.ReadNamespacedConfigMapAsync("fg-parent", "default"));
        await AssertGoneAsync(() => _client.CoreV1.ReadNamespacedConfigMapAsync("fg-child", "default"));

        var orphanParent = await ConfigMap("or-parent");
        await ConfigMap("or-child", orphanParent);
        await _client.CoreV1.DeleteNamespacedConfigMapAsync("or-parent", "default", propagationPolicy: "Orphan");
        await AssertGoneAsync(() => _client.CoreV1.ReadNamespacedConfigMapAsync("or-parent", "default"));
        var orphan = await _client.CoreV1.ReadNamespacedConfigMapAsync("or-child", "default");
        Assert.Empty(orphan.OwnerReferences() ?? []);
    }

    [Fact]
    public async Task Namespace_deletion_terminates_then_removes_content_and_namespace()
    {
        await _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "doomed" } });
        var ns = await _client.CoreV1.ReadNamespaceAsync("doomed");
        Assert.Equal("doomed", ns.Labels()["kubernetes.io/metadata.name"]);
        Assert.Equal(["kubernetes"], ns.Spec.Finalizers);
        await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "a" } }, "doomed");
        await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "slow", Finalizers = ["example.com/hold"] },
        }, "doomed");
        await _client.CoreV1.DeleteNamespaceAsync("doomed");
        await Eventually.TrueAsync(async () => (await _client.CoreV1.ListNamespacedConfigMapAsync("doomed")).Items.Count == 1, "content deleted except the held object");
        Assert.Equal("Terminating", (await _client.CoreV1.ReadNamespaceAsync("doomed")).Status.Phase);
        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "late" } }, "doomed"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.Response.StatusCode);

        await _client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), "slow", "doomed");
        await AssertGoneAsync(() => _client.CoreV1.ReadNamespaceAsync("doomed"));
    }

    [Fact]
    public async Task Eviction_honours_pod_disruption_budgets_with_429()
    {
        await _client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(new V1PodDisruptionBudget
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1PodDisruptionBudgetSpec
            {
                MinAvailable = 1,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
            },
        }, "default");
        foreach (var name in new[] { "web-1", "web-2" })
        {
            await _client.CoreV1.CreateNamespacedPodAsync(new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = "web" } },
                Spec = new V1PodSpec { NodeName = "n1", Containers = [new V1Container { Name = "c", Image = "nginx:1.27" }] },
            }, "default");
            var pod = await _client.CoreV1.ReadNamespacedPodAsync(name, "default");
            pod.Status.Phase = "Running";
            pod.Status.Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }];
            await _client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, name, "default");
        }

        await Eventually.TrueAsync(async () =>
            (await _client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("web", "default")).Status?.DisruptionsAllowed == 1, "PDB status computed");

        await _client.CoreV1.CreateNamespacedPodEvictionAsync(new V1Eviction { Metadata = new V1ObjectMeta { Name = "web-1", NamespaceProperty = "default" } }, "web-1", "default");
        await AssertGoneAsync(() => _client.CoreV1.ReadNamespacedPodAsync("web-1", "default"));

        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.CreateNamespacedPodEvictionAsync(
            new V1Eviction { Metadata = new V1ObjectMeta { Name = "web-2", NamespaceProperty = "default" } }, "web-2", "default"));
        Assert.Equal((HttpStatusCode)429, refused.Response.StatusCode);
        Assert.Contains("disruption budget", refused.Response.Content, StringComparison.Ordinal);
        Assert.NotNull(await _client.CoreV1.ReadNamespacedPodAsync("web-2", "default"));
    }

    [Fact]
    public async Task A_budget_status_ends_on_the_last_of_a_burst_of_pod_changes()
    {
        const int pods = 40;
        await _client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(new V1PodDisruptionBudget
        {
            Metadata = new V1ObjectMeta { Name = "burst" },
            Spec = new V1PodDisruptionBudgetSpec
            {
                MaxUnavailable = 5,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "burst" } },
            },
        }, "default");

        // Created, made ready and some deleted concurrently: recomputes are coalesced, and the last change must still
        // be the one the status reflects.
        var names = Enumerable.Range(0, pods).Select(i => $"burst-{i}").ToList();
        await Task.WhenAll(names.Select(async name =>
        {
            await _client.CoreV1.CreateNamespacedPodAsync(new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = "burst" } },
                Spec = new V1PodSpec { NodeName = "n1", Containers = [new V1Container { Name = "c", Image = "busybox:1.36" }] },
            }, "default");
            var pod = await _client.CoreV1.ReadNamespacedPodAsync(name, "default");
            pod.Status.Phase = "Running";
            pod.Status.Conditions = [new V1PodCondition { Type = "Ready", Status = name.EndsWith('7') ? "False" : "True" }];
            await _client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, name, "default");
        }));
        await Task.WhenAll(names.Take(10).Select(name => _client.CoreV1.DeleteNamespacedPodAsync(name, "default")));

        // 30 pods left, of which burst-17, -27 and -37 are not ready.
        await Eventually.TrueAsync(async () =>
        {
            var status = (await _client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("burst", "default")).Status;
            return status is { ExpectedPods: 30, CurrentHealthy: 27, DesiredHealthy: 25, DisruptionsAllowed: 2 };
        }, "budget status of the burst's end state");
    }

    [Fact]
    public async Task Concurrent_evictions_under_one_budget_retry_their_status_conflicts_instead_of_failing()
    {
        const int pods = 24;
        await _client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(new V1PodDisruptionBudget
        {
            Metadata = new V1ObjectMeta { Name = "batch" },
            Spec = new V1PodDisruptionBudgetSpec
            {
                MaxUnavailable = pods,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "batch" } },
            },
        }, "default");
        var names = Enumerable.Range(0, pods).Select(i => $"batch-{i}").ToList();
        foreach (var name in names)
        {
            await _client.CoreV1.CreateNamespacedPodAsync(new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = "batch" } },
                Spec = new V1PodSpec { NodeName = "n1", Containers = [new V1Container { Name = "c", Image = "busybox:1.36" }] },
            }, "default");
            var pod = await _client.CoreV1.ReadNamespacedPodAsync(name, "default");
            pod.Status.Phase = "Running";
            pod.Status.Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }];
            await _client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, name, "default");
        }

        // All at once, as 24 drains running in parallel would: each one races the others on the budget's status.
        await Task.WhenAll(names.Select(name => _client.CoreV1.CreateNamespacedPodEvictionAsync(
            new V1Eviction { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" } }, name, "default")));

        Assert.DoesNotContain((await _client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=batch")).Items,
            p => p.Metadata.DeletionTimestamp is null);
    }

    [Fact]
    public async Task A_graceful_pod_deletion_sets_the_deadline_and_a_shorter_grace_period_brings_it_forward()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        await using var server = await SimulatedApiServer.StartNewAsync(new SimulatedApiServerOptions { TimeProvider = clock, GracefulPodDeletion = true });
        using var client = server.CreateClient();
        await client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "bound" },
            Spec = new V1PodSpec { NodeName = "node-1", TerminationGracePeriodSeconds = 30, Containers = [new V1Container { Name = "c", Image = "example/c:1" }] },
        }, "default");

        await client.CoreV1.DeleteNamespacedPodAsync("bound", "default");
        var marked = await client.CoreV1.ReadNamespacedPodAsync("bound", "default");
        Assert.Equal(clock.GetUtcNow().UtcDateTime.AddSeconds(30), marked.Metadata.DeletionTimestamp);
        Assert.Equal(30, marked.Metadata.DeletionGracePeriodSeconds);

        clock.Advance(TimeSpan.FromSeconds(10));
        await client.CoreV1.DeleteNamespacedPodAsync("bound", "default", gracePeriodSeconds: 5);
        var shortened = await client.CoreV1.ReadNamespacedPodAsync("bound", "default");
        Assert.Equal(clock.GetUtcNow().UtcDateTime.AddSeconds(5), shortened.Metadata.DeletionTimestamp);
        Assert.Equal(5, shortened.Metadata.DeletionGracePeriodSeconds);

        // A longer grace period never pushes the deadline back.
        await client.CoreV1.DeleteNamespacedPodAsync("bound", "default", gracePeriodSeconds: 60);
        Assert.Equal(shortened.Metadata.DeletionTimestamp, (await client.CoreV1.ReadNamespacedPodAsync("bound", "default")).Metadata.DeletionTimestamp);

        // Grace period zero is the forced delete: gone at once.
        await client.CoreV1.DeleteNamespacedPodAsync("bound", "default", gracePeriodSeconds: 0);
        await AssertGoneAsync(() => client.CoreV1.ReadNamespacedPodAsync("bound", "default"));
    }

    private Task<V1ConfigMap> ConfigMap(string name, params V1ConfigMap[] owners) =>
        _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                OwnerReferences = owners.Length == 0 ? null : owners.Select(o => new V1OwnerReference
                {
                    ApiVersion = "v1", Kind = "ConfigMap", Name = o.Name(), Uid = o.Uid(), BlockOwnerDeletion = true,
                }).ToList(),
            },
        }, "default");

    private static Task AssertGoneAsync<T>(Func<Task<T>> read) =>
        Eventually.TrueAsync(async () =>
        {
            try
            {
                await read();
                return false;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
            {
                return true;
            }
        }, "object deleted");
}
