using System.Text.Json.Nodes;
using NetworkOperator.Tests.Shared;
using k8s;
using k8s.Models;
using NetworkOperator.Api.Contract;

namespace NetworkOperator.Controllers.Tests.Integration;

public sealed class NetworkTests
{
    private const string Macvlan = """
        apiVersion: mellanox.com/v1alpha1
        kind: MacvlanNetwork
        metadata:
          name: example-macvlannetwork
          annotations:
            team: ai
        spec:
          networkNamespace: default
          master: ens2f0
          mode: bridge
          mtu: 1500
          ipam: '{"type": "nv-ipam", "poolName": "my-pool"}'
        """;

    private const string HostDevice = """
        apiVersion: mellanox.com/v1alpha1
        kind: HostDeviceNetwork
        metadata:
          name: hostdev-net
        spec:
          networkNamespace: default
          resourceName: hostdev
          ipam: '{"type": "nv-ipam", "poolName": "my-pool"}'
        """;

    private static async Task<bool> NadExists(OperatorFixture fx, string ns, string name)
    {
        try
        {
            await fx.Client.CustomObjects.GetNamespacedCustomObjectAsync("k8s.cni.cncf.io", "v1", ns, "network-attachment-definitions", name);
            return true;
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private static async Task Patch(OperatorFixture fx, string plural, string name, string json) =>
        await fx.Client.CustomObjects.PatchClusterCustomObjectAsync(new V1Patch(json, V1Patch.PatchType.MergePatch), "mellanox.com", "v1alpha1", plural, name);

    private static string? Status(JsonObject? obj, string field) => obj?["status"]?[field]?.GetValue<string>();

    /// <summary>The Ready condition as "status reason generation", the fields `kubectl wait` and scripts read.</summary>
    private static string? Ready(JsonObject? obj) =>
        obj?["status"]?["conditions"]?.AsArray().SingleOrDefault(c => (string?)c?["type"] == "Ready") is { } ready
            ? $"{ready["status"]} {ready["reason"]} {ready["observedGeneration"]}"
            : null;

    [Fact]
    public async Task MacvlanLifecycleWithNamespaceMoveAndInvalidSpec()
    {
        await using var fx = await OperatorFixture.StartAsync();
        await fx.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "ai-jobs" } });
        await fx.ApplyYamlAsync(Macvlan);

        await Eventually.TrueAsync(async () => Status(await fx.GetCustomAsync("macvlannetworks", "example-macvlannetwork"), "state") == "ready", "ready");
        var network = await fx.GetCustomAsync("macvlannetworks", "example-macvlannetwork");
        Assert.Equal("k8s.cni.cncf.io/v1/namespaces/default/NetworkAttachmentDefinition/example-macvlannetwork",
            Status(network, "macvlanNetworkAttachmentDef"));
        Assert.True(await NadExists(fx, "default", "example-macvlannetwork"));
        Assert.Equal("True NetworkReady 1", Ready(network));

        // Namespace move: old NAD deleted, new one created, the CR's own annotations untouched (no
        // last-namespace annotation is added: the NAD is found through its controller reference).
        await Patch(fx, "macvlannetworks", "example-macvlannetwork", """{"spec":{"networkNamespace":"ai-jobs"}}""");
        await Eventually.TrueAsync(async () => await NadExists(fx, "ai-jobs", "example-macvlannetwork") && !await NadExists(fx, "default", "example-macvlannetwork"), "NAD moved");
        await Eventually.TrueAsync(async () => Status(await fx.GetCustomAsync("macvlannetworks", "example-macvlannetwork"), "macvlanNetworkAttachmentDef")
            == "k8s.cni.cncf.io/v1/namespaces/ai-jobs/NetworkAttachmentDefinition/example-macvlannetwork", "status link follows");
        network = await fx.GetCustomAsync("macvlannetworks", "example-macvlannetwork");
        var annotations = network!["metadata"]!["annotations"]!.AsObject();
        Assert.Equal("ai", annotations["team"]!.GetValue<string>());
        Assert.False(annotations.ContainsKey(Annotations.MacvlanLastNetworkNamespace));
        Assert.Equal("True NetworkReady 2", Ready(network));

        // Invalid spec: error with the field path; fixed: ready again and the reason is gone.
        await Patch(fx, "macvlannetworks", "example-macvlannetwork", """{"spec":{"ipam":"{not json"}}""");
        await Eventually.TrueAsync(async () => Status(await fx.GetCustomAsync("macvlannetworks", "example-macvlannetwork"), "state") == "error", "error");
        Assert.Contains("spec.ipam", Status(await fx.GetCustomAsync("macvlannetworks", "example-macvlannetwork"), "reason"), StringComparison.Ordinal);
        Assert.Equal("False InvalidSpec 3", Ready(await fx.GetCustomAsync("macvlannetworks", "example-macvlannetwork")));
        await Patch(fx, "macvlannetworks", "example-macvlannetwork", """{"spec":{"ipam":"{\"type\":\"static\"}"}}""");
        await Eventually.TrueAsync(async () => Status(await fx.GetCustomAsync("macvlannetworks", "example-macvlannetwork"), "state") == "ready", "ready after fix");
        Assert.Null(Status(await fx.GetCustomAsync("macvlannetworks", "example-macvlannetwork"), "reason"));
        Assert.Equal("True NetworkReady 4", Ready(await fx.GetCustomAsync("macvlannetworks", "example-macvlannetwork")));

        // A duplicate key is refused as a whole: error with the path, and the NAD keeps its last good config.
        var before = (await fx.Client.CustomObjects.GetNamespacedCustomObjectAsync("k8s.cni.cncf.io", "v1", "ai-jobs", "network-attachment-definitions", "example-macvlannetwork")).ToString();
        await Patch(fx, "macvlannetworks", "example-macvlannetwork", """{"spec":{"ipam":"{\"type\":\"static\",\"type\":\"host-local\"}"}}""");
        await Eventually.TrueAsync(async () => Status(await fx.GetCustomAsync("macvlannetworks", "example-macvlannetwork"), "state") == "error", "duplicate key error");
        Assert.Contains("spec.ipam", Status(await fx.GetCustomAsync("macvlannetworks", "example-macvlannetwork"), "reason"), StringComparison.Ordinal);
        Assert.Contains("Duplicate property 'type'", Status(await fx.GetCustomAsync("macvlannetworks", "example-macvlannetwork"), "reason"), StringComparison.Ordinal);
        var nad = await fx.Client.CustomObjects.GetNamespacedCustomObjectAsync("k8s.cni.cncf.io", "v1", "ai-jobs", "network-attachment-definitions", "example-macvlannetwork");
        Assert.Equal(before, nad.ToString());

        // Deleted: the NAD goes with it (garbage collection through the controller reference).
        await fx.Client.CustomObjects.DeleteClusterCustomObjectAsync("mellanox.com", "v1alpha1", "macvlannetworks", "example-macvlannetwork");
        await Eventually.TrueAsync(async () => !await NadExists(fx, "ai-jobs", "example-macvlannetwork"), "NAD collected");
    }

    [Fact]
    public async Task An_upstream_last_namespace_annotation_follows_a_move_and_the_other_annotations_stay()
    {
        await using var fx = await OperatorFixture.StartAsync();
        await fx.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "ai-jobs" } });
        // As the upstream operator leaves a CR it has reconciled: the annotation names the NAD's namespace.
        await fx.ApplyYamlAsync(Macvlan.Replace("    team: ai", $"    team: ai\n    {Annotations.MacvlanLastNetworkNamespace}: default", StringComparison.Ordinal));
        await Eventually.TrueAsync(async () => Status(await fx.GetCustomAsync("macvlannetworks", "example-macvlannetwork"), "state") == "ready", "ready");
        fx.Server.Requests.Reset();

        await Patch(fx, "macvlannetworks", "example-macvlannetwork", """{"spec":{"networkNamespace":"ai-jobs"}}""");
        await Eventually.TrueAsync(async () => Status(await fx.GetCustomAsync("macvlannetworks", "example-macvlannetwork"), "macvlanNetworkAttachmentDef")
            == "k8s.cni.cncf.io/v1/namespaces/ai-jobs/NetworkAttachmentDefinition/example-macvlannetwork", "status link follows");
        Assert.False(await NadExists(fx, "default", "example-macvlannetwork"));

        var annotations = (await fx.GetCustomAsync("macvlannetworks", "example-macvlannetwork"))!["metadata"]!["annotations"]!.AsObject();
        Assert.Equal("ai-jobs", annotations[Annotations.MacvlanLastNetworkNamespace]!.GetValue<string>());
        Assert.Equal("ai", annotations["team"]!.GetValue<string>());
        // The test's spec patch and the operator's one patch of the annotation.
        Assert.Equal(2, fx.Server.Requests.Get("patch", "macvlannetworks"));
    }

    [Fact]
    public async Task HostDeviceNetworkMoveLeavesNoNadBehind()
    {
        await using var fx = await OperatorFixture.StartAsync();
        await fx.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "other" } });
        await fx.ApplyYamlAsync(HostDevice);
        await Eventually.TrueAsync(async () => await NadExists(fx, "default", "hostdev-net"), "NAD created");
        await Patch(fx, "hostdevicenetworks", "hostdev-net", """{"spec":{"networkNamespace":"other"}}""");
        await Eventually.TrueAsync(async () => await NadExists(fx, "other", "hostdev-net") && !await NadExists(fx, "default", "hostdev-net"), "NAD moved");
        // The status write follows the NAD's move; a check right after the move would race it.
        await Eventually.HoldsAsync(async () => Assert.Equal("k8s.cni.cncf.io/v1/namespaces/other/NetworkAttachmentDefinition/hostdev-net",
            Status(await fx.GetCustomAsync("hostdevicenetworks", "hostdev-net"), "hostDeviceNetworkAttachmentDef")));
    }

    [Fact]
    public async Task Each_network_costs_its_NAD_and_one_status_write()
    {
        await using var fx = await OperatorFixture.StartAsync();
        string[] names = ["net-a", "net-b", "net-c"];
        fx.Server.Requests.Reset();
        foreach (var name in names)
        {
            await fx.ApplyYamlAsync(Macvlan.Replace("example-macvlannetwork", name, StringComparison.Ordinal));
        }

        foreach (var name in names)
        {
            await Eventually.TrueAsync(async () => Status(await fx.GetCustomAsync("macvlannetworks", name), "state") == "ready", $"{name} ready");
        }

        // The status goes out once, when the NAD exists; the CR itself is not written (no annotation, no finalizer).
        Assert.Equal(names.Length, fx.Server.Requests.Get("update", "macvlannetworks/status") + fx.Server.Requests.Get("patch", "macvlannetworks/status"));
        Assert.Equal(0, fx.Server.Requests.Get("patch", "macvlannetworks") + fx.Server.Requests.Get("update", "macvlannetworks"));
        Assert.Equal(names.Length, fx.Server.Requests.Get("create", "network-attachment-definitions"));
    }

    [Fact]
    public async Task A_network_into_a_missing_namespace_names_it_and_recovers_once_it_exists()
    {
        await using var fx = await OperatorFixture.StartAsync();
        await fx.ApplyYamlAsync("""
            apiVersion: mellanox.com/v1alpha1
            kind: IPoIBNetwork
            metadata:
              name: ib-team-b
            spec:
              networkNamespace: team-b
              master: ibs3f0
              ipam: '{"type": "whereabouts", "range": "10.56.0.0/16"}'
            """);

        await Eventually.TrueAsync(async () => Status(await fx.GetCustomAsync("ipoibnetworks", "ib-team-b"), "state") == "notReady", "notReady");
        var reason = Status(await fx.GetCustomAsync("ipoibnetworks", "ib-team-b"), "reason");
        Assert.Equal("writing the NetworkAttachmentDefinition team-b/ib-team-b failed: namespace \"team-b\" (spec.networkNamespace) does not exist; "
            + "create it or name an existing one", reason);
        Assert.Equal("False NamespaceNotFound 1", Ready(await fx.GetCustomAsync("ipoibnetworks", "ib-team-b")));

        // No write is retried on the not-ready timer (300 ms here): the namespace's creation is what wakes the network.
        fx.Server.Requests.Reset();
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(0, fx.Server.Requests.Get("create", "network-attachment-definitions"));

        await fx.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team-b" } });
        await Eventually.TrueAsync(async () => Status(await fx.GetCustomAsync("ipoibnetworks", "ib-team-b"), "state") == "ready", "ready once the namespace exists");
        Assert.Null(Status(await fx.GetCustomAsync("ipoibnetworks", "ib-team-b"), "reason"));
        Assert.True(await NadExists(fx, "team-b", "ib-team-b"));
        Assert.Equal("True NetworkReady 1", Ready(await fx.GetCustomAsync("ipoibnetworks", "ib-team-b")));
    }

    [Fact]
    public async Task A_NAD_CRD_deleted_under_a_running_operator_is_reported_as_not_served_and_recovers_when_reinstalled()
    {
        await using var fx = await OperatorFixture.StartAsync();
        await fx.ApplyYamlAsync(Macvlan);
        await Eventually.TrueAsync(async () => Status(await fx.GetCustomAsync("macvlannetworks", "example-macvlannetwork"), "state") == "ready", "ready");

        // Multus uninstalled: the next write meets the server's plain 404 before the cache's discovery notices. The NAD's
        // deletion (the CRD takes its objects along) may already have woken the network; the edit is seen either way.
        await fx.Client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync("network-attachment-definitions.k8s.cni.cncf.io");
        await Patch(fx, "macvlannetworks", "example-macvlannetwork", """{"spec":{"mtu":1400}}""");
        await Eventually.TrueAsync(async () => Ready(await fx.GetCustomAsync("macvlannetworks", "example-macvlannetwork")) == "False KindNotServed 2",
            "not served, for the edited generation");
        var network = await fx.GetCustomAsync("macvlannetworks", "example-macvlannetwork");
        Assert.Equal("notReady", Status(network, "state"));
        Assert.Equal("NetworkAttachmentDefinition (k8s.cni.cncf.io/v1) is not served by this cluster; install Multus or its CRD", Status(network, "reason"));

        await NetworkOperator.Controllers.Startup.CrdInstaller.InstallAsync(fx.Client, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, TimeProvider.System, CancellationToken.None);
        await Eventually.TrueAsync(async () => Status(await fx.GetCustomAsync("macvlannetworks", "example-macvlannetwork"), "state") == "ready",
            "ready once the CRD is back", Eventually.LongTimeout);
        Assert.True(await NadExists(fx, "default", "example-macvlannetwork"));
    }

    [Fact]
    public async Task A_NAD_CRD_installed_after_the_operator_started_restarts_its_controllers_which_then_make_the_NAD()
    {
        await using var fx = await OperatorFixture.StartAsync(startOperator: false);
        await fx.Client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync("network-attachment-definitions.k8s.cni.cncf.io");
        await fx.ApplyYamlAsync(Macvlan);
        var host = await fx.StartOperatorAsync();
        Assert.DoesNotContain(host.ManagedKindsServed, k => k.Kind == "NetworkAttachmentDefinition");
        await Eventually.TrueAsync(async () => Ready(await fx.GetCustomAsync("macvlannetworks", "example-macvlannetwork")) == "False KindNotServed 1", "not served");
        Assert.Null(host.RestartReason);

        // Multus installed later: the first host ends its run, and a new one (as `run` starts) serves the kind.
        await NetworkOperator.Controllers.Startup.CrdInstaller.InstallAsync(fx.Client, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance,
            TimeProvider.System, CancellationToken.None);
        await Eventually.TrueAsync(() => Task.FromResult(host.RestartReason is not null), "restart asked for");
        Assert.Equal("network-attachment-definitions.k8s.cni.cncf.io is now served by the cluster", host.RestartReason);
        await fx.StopOperatorAsync(host);
        var next = await fx.StartOperatorAsync();
        Assert.Contains(next.ManagedKindsServed, k => k.Kind == "NetworkAttachmentDefinition");
        await Eventually.TrueAsync(async () => Status(await fx.GetCustomAsync("macvlannetworks", "example-macvlannetwork"), "state") == "ready", "ready");
        Assert.True(await NadExists(fx, "default", "example-macvlannetwork"));
        Assert.Null(next.RestartReason);
    }

    [Fact]
    public async Task Two_kinds_of_network_with_one_name_do_not_fight_over_the_NAD_the_first_keeps_it()
    {
        await using var fx = await OperatorFixture.StartAsync();
        await fx.ApplyYamlAsync(Macvlan.Replace("example-macvlannetwork", "shared", StringComparison.Ordinal));
        await Eventually.TrueAsync(async () => Status(await fx.GetCustomAsync("macvlannetworks", "shared"), "state") == "ready", "macvlan ready");

        await fx.ApplyYamlAsync(HostDevice.Replace("hostdev-net", "shared", StringComparison.Ordinal));
        await Eventually.TrueAsync(async () => Status(await fx.GetCustomAsync("hostdevicenetworks", "shared"), "state") == "notReady", "host device notReady");
        Assert.Equal("NetworkAttachmentDefinition default/shared is controlled by MacvlanNetwork shared, which keeps it; "
            + "rename this HostDeviceNetwork or set another spec.networkNamespace",
            Status(await fx.GetCustomAsync("hostdevicenetworks", "shared"), "reason"));
        Assert.Equal("False NameConflict 1", Ready(await fx.GetCustomAsync("hostdevicenetworks", "shared")));

        // Several not-ready requeues later the NAD is still the macvlan one, untouched.
        var before = await fx.Client.CustomObjects.GetNamespacedCustomObjectAsync("k8s.cni.cncf.io", "v1", "default", "network-attachment-definitions", "shared");
        fx.Server.Requests.Reset();
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(0, fx.Server.Requests.Get("update", "network-attachment-definitions") + fx.Server.Requests.Get("patch", "network-attachment-definitions"));
        var after = await fx.Client.CustomObjects.GetNamespacedCustomObjectAsync("k8s.cni.cncf.io", "v1", "default", "network-attachment-definitions", "shared");
        Assert.Equal(before.ToString(), after.ToString());
        Assert.Equal("ready", Status(await fx.GetCustomAsync("macvlannetworks", "shared"), "state"));

        // The first goes, its NAD with it; the second then makes its own.
        await fx.Client.CustomObjects.DeleteClusterCustomObjectAsync("mellanox.com", "v1alpha1", "macvlannetworks", "shared");
        await Eventually.TrueAsync(async () => Status(await fx.GetCustomAsync("hostdevicenetworks", "shared"), "state") == "ready", "host device ready");
        var nad = await fx.Client.CustomObjects.GetNamespacedCustomObjectAsync("k8s.cni.cncf.io", "v1", "default", "network-attachment-definitions", "shared");
        Assert.Contains("host-device", nad.ToString(), StringComparison.Ordinal);
        Assert.Null(Status(await fx.GetCustomAsync("hostdevicenetworks", "shared"), "reason"));
    }
}
