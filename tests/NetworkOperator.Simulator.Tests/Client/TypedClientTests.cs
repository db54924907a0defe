using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace NetworkOperator.Simulator.Tests.Client;

/// <summary>The official C# client against the simulated server: typed CRUD with the real server's semantics.</summary>
public sealed class TypedClientTests : IAsyncLifetime
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
    public async Task Fresh_server_has_the_standard_namespaces_and_version_32()
    {
        var namespaces = await _client.CoreV1.ListNamespaceAsync();
        Assert.Equal(["default", "kube-node-lease", "kube-public", "kube-system"], namespaces.Items.Select(n => n.Name()).Order());
        Assert.All(namespaces.Items, n => Assert.Equal("Active", n.Status.Phase));
        var version = await _client.Version.GetCodeAsync();
        Assert.Equal("1", version.Major);
        Assert.Equal("32", version.Minor);
    }

    [Fact]
    public async Task Deletes_answer_with_the_object_where_the_real_registry_returns_it()
    {
        // ServiceAccounts, claims, volumes and quotas answer with the deleted object (the client's return type says so),
        // ConfigMaps with a Status.
        await _client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "robot" } }, "default");
        await _client.CoreV1.CreateNamespacedResourceQuotaAsync(new V1ResourceQuota
        {
            Metadata = new V1ObjectMeta { Name = "q" },
            Spec = new V1ResourceQuotaSpec { Hard = new Dictionary<string, ResourceQuantity> { ["pods"] = new("1") } },
        }, "default");
        await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cm" } }, "default");

        Assert.Equal("robot", (await _client.CoreV1.DeleteNamespacedServiceAccountAsync("robot", "default")).Metadata.Name);
        Assert.Equal("1", (await _client.CoreV1.DeleteNamespacedResourceQuotaAsync("q", "default")).Spec.Hard["pods"].ToString());
        Assert.Equal("Success", (await _client.CoreV1.DeleteNamespacedConfigMapAsync("cm", "default")).Status);
    }

    [Fact]
    public async Task ConfigMap_crud_sets_server_fields_and_enforces_optimistic_concurrency()
    {
        var created = await _client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "settings", Labels = new Dictionary<string, string> { ["app"] = "a" } },
                Data = new Dictionary<string, string> { ["k"] = "v1" } }, "default");
        Assert.False(string.IsNullOrEmpty(created.Uid()));
        Assert.NotNull(created.Metadata.CreationTimestamp);
        var firstVersion = long.Parse(created.ResourceVersion(), System.Globalization.CultureInfo.InvariantCulture);

        var read = await _client.CoreV1.ReadNamespacedConfigMapAsync("settings", "default");
        Assert.Equal("v1", read.Data["k"]);

        read.Data["k"] = "v2";
        var updated = await _client.CoreV1.ReplaceNamespacedConfigMapAsync(read, "settings", "default");
        Assert.True(long.Parse(updated.ResourceVersion(), System.Globalization.CultureInfo.InvariantCulture) > firstVersion);
        Assert.Equal(created.Uid(), updated.Uid());
        Assert.Equal(created.Metadata.CreationTimestamp, updated.Metadata.CreationTimestamp);

        // The same stale object again: the real server answers 409 Conflict.
        read.Data["k"] = "v3";
        var conflict = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ReplaceNamespacedConfigMapAsync(read, "settings", "default"));
        Assert.Equal(HttpStatusCode.Conflict, conflict.Response.StatusCode);
        Assert.Contains("the object has been modified", conflict.Response.Content, StringComparison.Ordinal);

        var duplicate = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "settings" } }, "default"));
        Assert.Equal(HttpStatusCode.Conflict, duplicate.Response.StatusCode);
        Assert.Contains("AlreadyExists", duplicate.Response.Content, StringComparison.Ordinal);

        await _client.CoreV1.DeleteNamespacedConfigMapAsync("settings", "default");
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ReadNamespacedConfigMapAsync("settings", "default"));
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
        Assert.Contains("configmaps \\\"settings\\\" not found", missing.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_op_update_keeps_the_resource_version()
    {
        var created = await _client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "same" }, Data = new Dictionary<string, string> { ["a"] = "b" } }, "default");
        var again = await _client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "same", "default");
        Assert.Equal(created.ResourceVersion(), again.ResourceVersion());
    }

    [Fact]
    public async Task Lists_filter_by_label_and_field_selectors_and_page_with_continue()
    {
        for (var i = 0; i < 5; i++)
        {
            await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
            {
                Metadata = new V1ObjectMeta
                {
                    Name = $"cm-{i}",
                    Labels = new Dictionary<string, string> { ["tier"] = i % 2 == 0 ? "even" : "odd", ["idx"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                },
            }, "default");
        }

        Assert.Equal(["cm-0", "cm-2", "cm-4"], (await _client.CoreV1.ListNamespacedConfigMapAsync("default", labelSelector: "tier=even")).Items.Select(c => c.Name()));
        // != matches objects without the label too, such as the namespace's root CA ConfigMap.
        Assert.Equal(["cm-1", "cm-3", "kube-root-ca.crt"], (await _client.CoreV1.ListNamespacedConfigMapAsync("default", labelSelector: "tier!=even")).Items.Select(c => c.Name()));
        Assert.Equal(["cm-1", "cm-2"], (await _client.CoreV1.ListNamespacedConfigMapAsync("default", labelSelector: "idx in (1,2)")).Items.Select(c => c.Name()));
        Assert.Equal(["cm-0", "cm-3", "cm-4"], (await _client.CoreV1.ListNamespacedConfigMapAsync("default", labelSelector: "idx notin (1,2),tier")).Items.Select(c => c.Name()));
        Assert.Equal(["kube-root-ca.crt"], (await _client.CoreV1.ListNamespacedConfigMapAsync("default", labelSelector: "!tier")).Items.Select(c => c.Name()));
        Assert.Equal(["cm-3"], (await _client.CoreV1.ListNamespacedConfigMapAsync("default", fieldSelector: "metadata.name=cm-3")).Items.Select(c => c.Name()));
        Assert.Empty((await _client.CoreV1.ListNamespacedConfigMapAsync("kube-system", fieldSelector: "metadata.namespace=default")).Items);

        var page1 = await _client.CoreV1.ListNamespacedConfigMapAsync("default", limit: 2);
        Assert.Equal(["cm-0", "cm-1"], page1.Items.Select(c => c.Name()));
        Assert.Equal(4, page1.Metadata.RemainingItemCount);
        var page2 = await _client.CoreV1.ListNamespacedConfigMapAsync("default", limit: 2, continueParameter: page1.Metadata.ContinueProperty);
        Assert.Equal(["cm-2", "cm-3"], page2.Items.Select(c => c.Name()));
        var page3 = await _client.CoreV1.ListNamespacedConfigMapAsync("default", limit: 2, continueParameter: page2.Metadata.ContinueProperty);
        Assert.Equal(["cm-4", "kube-root-ca.crt"], page3.Items.Select(c => c.Name()));
        Assert.Null(page3.Metadata.ContinueProperty);

        var unsupported = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ListNamespacedConfigMapAsync("default", fieldSelector: "spec.nodeName=x"));
        Assert.Equal(HttpStatusCode.BadRequest, unsupported.Response.StatusCode);
    }

    [Fact]
    public async Task Every_page_of_a_list_reports_the_first_pages_version_until_the_history_no_longer_reaches_it()
    {
        await using var server = await SimulatedApiServer.StartNewAsync(new SimulatedApiServerOptions { WatchHistoryPerResource = 3 });
        using var client = server.CreateClient();
        for (var i = 0; i < 4; i++)
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"cm-{i}" } }, "default");
        }

        var page1 = await client.CoreV1.ListNamespacedConfigMapAsync("default", limit: 2);
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cm-9" } }, "default");
        var page2 = await client.CoreV1.ListNamespacedConfigMapAsync("default", limit: 2, continueParameter: page1.Metadata.ContinueProperty);

        // The page is read now (cm-9 is in it), but a watch from the reported version replays everything after page 1.
        Assert.Equal(page1.Metadata.ResourceVersion, page2.Metadata.ResourceVersion);
        Assert.Equal(["cm-2", "cm-3"], page2.Items.Select(c => c.Name()));
        Assert.Equal(["cm-9", "kube-root-ca.crt"], (await client.CoreV1.ListNamespacedConfigMapAsync("default", continueParameter: page2.Metadata.ContinueProperty)).Items
            .Select(c => c.Name()));

        for (var i = 0; i < 3; i++)
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"late-{i}" } }, "default");
        }

        var expired = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.CoreV1.ListNamespacedConfigMapAsync("default", limit: 2, continueParameter: page1.Metadata.ContinueProperty));
        Assert.Equal(HttpStatusCode.Gone, expired.Response.StatusCode);
    }

    [Fact]
    public async Task Pods_select_by_node_name_and_phase_and_status_writes_only_touch_status()
    {
        foreach (var (name, node) in new[] { ("a", "node-1"), ("b", "node-2") })
        {
            await _client.CoreV1.CreateNamespacedPodAsync(new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = name },
                Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "c", Image = "busybox" }] },
            }, "default");
        }

        var onNode1 = await _client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: "spec.nodeName=node-1");
        Assert.Equal(["a"], onNode1.Items.Select(p => p.Name()));
        Assert.Equal(2, (await _client.CoreV1.ListNamespacedPodAsync("default", fieldSelector: "status.phase=Pending")).Items.Count);

        var pod = await _client.CoreV1.ReadNamespacedPodAsync("a", "default");
        pod.Status.Phase = "Running";
        pod.Spec.ActiveDeadlineSeconds = 5;
        var afterStatus = await _client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, "a", "default");
        Assert.Equal("Running", afterStatus.Status.Phase);
        Assert.Null(afterStatus.Spec.ActiveDeadlineSeconds);

        afterStatus.Status.Phase = "Failed";
        afterStatus.Metadata.Labels = new Dictionary<string, string> { ["x"] = "y" };
        var afterMain = await _client.CoreV1.ReplaceNamespacedPodAsync(afterStatus, "a", "default");
        Assert.Equal("Running", afterMain.Status.Phase);
        Assert.Equal("y", afterMain.Labels()["x"]);
        Assert.Equal(["a"], (await _client.CoreV1.ListNamespacedPodAsync("default", fieldSelector: "status.phase=Running")).Items.Select(p => p.Name()));
    }

    [Fact]
    public async Task Generation_changes_only_when_spec_changes()
    {
        var deployment = await _client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1DeploymentSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "nginx" }] },
                },
            },
        }, "default");
        Assert.Equal(1, deployment.Metadata.Generation);

        deployment.Metadata.Labels = new Dictionary<string, string> { ["team"] = "a" };
        deployment = await _client.AppsV1.ReplaceNamespacedDeploymentAsync(deployment, "web", "default");
        Assert.Equal(1, deployment.Metadata.Generation);

        deployment.Spec.Replicas = 3;
        deployment = await _client.AppsV1.ReplaceNamespacedDeploymentAsync(deployment, "web", "default");
        Assert.Equal(2, deployment.Metadata.Generation);

        deployment.Status = new V1DeploymentStatus { ObservedGeneration = 2, Replicas = 3 };
        deployment = await _client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(deployment, "web", "default");
        Assert.Equal(2, deployment.Metadata.Generation);
        Assert.Equal(2, deployment.Status.ObservedGeneration);
    }

    [Fact]
    public async Task Merge_and_json_patches_apply_and_null_removes_a_label()
    {
        await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "p", Labels = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" } },
            Data = new Dictionary<string, string> { ["x"] = "1" },
        }, "default");
        await _client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"labels":{"a":null,"c":"3"}},"data":{"y":"2"}}""", V1Patch.PatchType.MergePatch), "p", "default");
        var patched = await _client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("""[{"op":"replace","path":"/data/x","value":"9"},{"op":"add","path":"/data/z","value":"3"}]""", V1Patch.PatchType.JsonPatch), "p", "default");
        Assert.Equal(new Dictionary<string, string> { ["b"] = "2", ["c"] = "3" }, patched.Labels());
        Assert.Equal(new Dictionary<string, string> { ["x"] = "9", ["y"] = "2", ["z"] = "3" }, patched.Data);

        var bad = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("""[{"op":"remove","path":"/data/missing"}]""", V1Patch.PatchType.JsonPatch), "p", "default"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.Response.StatusCode);
    }

    [Fact]
    public async Task Creating_in_a_missing_namespace_is_404_and_invalid_names_are_422()
    {
        var noNamespace = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "x" } }, "nope"));
        Assert.Equal(HttpStatusCode.NotFound, noNamespace.Response.StatusCode);
        Assert.Contains("namespaces \\\"nope\\\" not found", noNamespace.Response.Content, StringComparison.Ordinal);

        var badName = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "Bad_Name" } }, "default"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badName.Response.StatusCode);
        Assert.Contains("metadata.name", badName.Response.Content, StringComparison.Ordinal);

        var generated = await _client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { GenerateName = "gen-" } }, "default");
        Assert.StartsWith("gen-", generated.Name(), StringComparison.Ordinal);
        Assert.Equal(9, generated.Name().Length);
    }

    [Fact]
    public async Task Leases_give_leader_election_real_optimistic_concurrency()
    {
        var lease = await _client.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "leader" },
            Spec = new V1LeaseSpec { HolderIdentity = "a", LeaseDurationSeconds = 15 },
        }, "kube-system");

        // Two candidates read the same version; only the first write wins.
        var candidateB = await _client.CoordinationV1.ReadNamespacedLeaseAsync("leader", "kube-system");
        var candidateC = await _client.CoordinationV1.ReadNamespacedLeaseAsync("leader", "kube-system");
        candidateB.Spec.HolderIdentity = "b";
        candidateC.Spec.HolderIdentity = "c";
        await _client.CoordinationV1.ReplaceNamespacedLeaseAsync(candidateB, "leader", "kube-system");
        var lost = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoordinationV1.ReplaceNamespacedLeaseAsync(candidateC, "leader", "kube-system"));
        Assert.Equal(HttpStatusCode.Conflict, lost.Response.StatusCode);
        Assert.Equal("b", (await _client.CoordinationV1.ReadNamespacedLeaseAsync("leader", "kube-system")).Spec.HolderIdentity);
        Assert.Equal(lease.ResourceVersion(), candidateC.ResourceVersion());
    }

    [Fact]
    public async Task Request_counters_count_by_verb_and_resource_and_reset()
    {
        _server.Requests.Reset();
        await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" } }, "default");
        await _client.CoreV1.ReadNamespacedConfigMapAsync("c", "default");
        await _client.CoreV1.ReadNamespacedConfigMapAsync("c", "default");
        await _client.CoreV1.ListNamespacedConfigMapAsync("default");
        Assert.Equal(1, _server.Requests.Get("create", "configmaps"));
        Assert.Equal(2, _server.Requests.Get("get", "configmaps"));
        Assert.Equal(1, _server.Requests.Get("list", "configmaps"));
        Assert.Equal(1, _server.Requests.Writes());
        _server.Requests.Reset();
        Assert.Equal(0, _server.Requests.Total());
    }

    [Fact]
    public async Task Request_counters_also_count_per_namespace()
    {
        await _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "other" } });
        _server.Requests.Reset();
        await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "a" } }, "default");
        await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "b" } }, "other");
        await _client.CoreV1.DeleteNamespacedConfigMapAsync("b", "other");
        await _client.CoreV1.ListConfigMapForAllNamespacesAsync();
        Assert.Equal(2, _server.Requests.Get("create", "configmaps"));
        Assert.Equal(1, _server.Requests.Get("create", "configmaps", "default"));
        Assert.Equal(1, _server.Requests.Get("create", "configmaps", "other"));
        Assert.Equal(0, _server.Requests.Get("delete", "configmaps", "default"));
        Assert.Equal(1, _server.Requests.Get("delete", "configmaps", "other"));
        Assert.Equal(1, _server.Requests.Get("list", "configmaps"));
        Assert.Equal(0, _server.Requests.Get("list", "configmaps", "default"));
        _server.Requests.Reset();
        Assert.Equal(0, _server.Requests.Get("create", "configmaps", "default"));
    }
}
