using k8s;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using NetworkOperator.Runtime.Apply;

namespace NetworkOperator.Runtime.Tests.Apply;

public class EventRecorderTests
{
    [Fact]
    public async Task Repeated_events_bump_the_count_of_one_event_instead_of_creating_new_ones()
    {
        await using var cluster = await Cluster.StartAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var recorder = new EventRecorder(cluster.Client, "test-operator", "host-1", time);
        var cm = await cluster.CreateConfigMapAsync("subject");

        await recorder.RecordAsync(cm, EventRecorder.Normal, "Synced", "All good");
        time.Advance(TimeSpan.FromMinutes(1));
        await recorder.RecordAsync(cm, EventRecorder.Normal, "Synced", "All good");
        await recorder.RecordAsync(cm, EventRecorder.Normal, "Synced", "All good");
        await recorder.RecordAsync(cm, EventRecorder.Warning, "Failed", "Something broke");

        var events = (await cluster.Client.CoreV1.ListNamespacedEventAsync("default")).Items;
        Assert.Equal(2, events.Count);
        var synced = Assert.Single(events, e => e.Reason == "Synced");
        Assert.Equal(3, synced.Count);
        Assert.Equal("ConfigMap", synced.InvolvedObject.Kind);
        Assert.Equal("subject", synced.InvolvedObject.Name);
        Assert.Equal(cm.Metadata.Uid, synced.InvolvedObject.Uid);
        Assert.Equal("test-operator", synced.Source.Component);
        Assert.Equal(new DateTime(2026, 1, 1, 0, 1, 0, DateTimeKind.Utc), synced.LastTimestamp);
        Assert.Equal(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), synced.FirstTimestamp);
        Assert.Equal(2, cluster.Server.Requests.Get("create", "events"));
        Assert.Equal(2, cluster.Server.Requests.Get("update", "events"));
        Assert.Equal((2, 2), (recorder.Created, recorder.Updated));
    }

    [Fact]
    public async Task Events_about_cluster_scoped_objects_go_to_the_default_namespace_and_failures_do_not_throw()
    {
        await using var cluster = await Cluster.StartAsync();
        using var recorder = new EventRecorder(cluster.Client, "test-operator");
        var node = new V1Node { ApiVersion = "v1", Kind = "Node", Metadata = new V1ObjectMeta { Name = "node-1", Uid = "n1" } };

        var written = await recorder.RecordAsync(node, EventRecorder.Warning, "DriverFailed", "driver did not load");
        Assert.Equal("default", written!.Metadata.NamespaceProperty);
        // As client-go writes them: kubectl describe selects events of a cluster-scoped object with an empty namespace.
        Assert.True(string.IsNullOrEmpty(written.InvolvedObject.NamespaceProperty));
        var selected = await cluster.Client.CoreV1.ListEventForAllNamespacesAsync(
            fieldSelector: "involvedObject.name=node-1,involvedObject.namespace=,involvedObject.kind=Node,involvedObject.uid=n1");
        Assert.Equal("DriverFailed", Assert.Single(selected.Items).Reason);

        cluster.Server.Faults.AddRule(new Simulator.Diagnostics.FaultRule("create", "events", 500));
        Assert.Null(await recorder.RecordAsync(node, EventRecorder.Normal, "Other", "x"));
    }

    [Fact]
    public async Task Many_different_messages_with_one_reason_fold_into_one_combined_event_like_client_go()
    {
        await using var cluster = await Cluster.StartAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var recorder = new EventRecorder(cluster.Client, "test-operator", "host-1", time);
        var cm = await cluster.CreateConfigMapAsync("policy");

        // A per-node message on one object: the first ten are Events of their own, the rest one combined Event.
        for (var i = 0; i < 15; i++)
        {
            await recorder.RecordAsync(cm, EventRecorder.Normal, "UpgradeStateChanged", $"node-{i}: upgrade-required -> cordon-required");
        }

        // A repeat of one of the first ten messages is still de-duplicated onto its own Event.
        await recorder.RecordAsync(cm, EventRecorder.Normal, "UpgradeStateChanged", "node-3: upgrade-required -> cordon-required");

        var events = (await cluster.Client.CoreV1.ListNamespacedEventAsync("default")).Items;
        Assert.Equal(11, events.Count);
        var combined = Assert.Single(events, e => e.Message.StartsWith("(combined from similar events): ", StringComparison.Ordinal));
        Assert.Equal(5, combined.Count);
        Assert.Equal("(combined from similar events): node-14: upgrade-required -> cordon-required", combined.Message);
        Assert.Equal(2, Assert.Single(events, e => e.Message == "node-3: upgrade-required -> cordon-required").Count);
        Assert.Equal((11, 5), (recorder.Created, recorder.Updated));

        // Another reason is counted on its own, and after the ten-minute window messages stand alone again.
        await recorder.RecordAsync(cm, EventRecorder.Warning, "UpgradeFailed", "node-20: drain timed out");
        time.Advance(TimeSpan.FromMinutes(11));
        await recorder.RecordAsync(cm, EventRecorder.Normal, "UpgradeStateChanged", "node-99: upgrade-required -> cordon-required");
        events = (await cluster.Client.CoreV1.ListNamespacedEventAsync("default")).Items;
        Assert.Contains(events, e => e.Message == "node-20: drain timed out");
        Assert.Contains(events, e => e.Message == "node-99: upgrade-required -> cordon-required");
    }

    [Fact]
    public async Task An_object_gets_a_burst_of_25_events_then_one_per_five_minutes_like_client_gos_spam_filter()
    {
        await using var cluster = await Cluster.StartAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var recorder = new EventRecorder(cluster.Client, "test-operator", "host-1", time);
        var busy = await cluster.CreateConfigMapAsync("busy");
        var quiet = await cluster.CreateConfigMapAsync("quiet");

        for (var i = 0; i < 30; i++)
        {
            await recorder.RecordAsync(busy, EventRecorder.Normal, $"Step{i}", "step");
        }

        Assert.NotNull(await recorder.RecordAsync(quiet, EventRecorder.Normal, "Step", "other objects have their own budget"));
        Assert.Equal(5, recorder.Dropped);
        Assert.Null(await recorder.RecordAsync(busy, EventRecorder.Normal, "Late", "still over the budget"));
        Assert.NotNull(await recorder.RecordAsync(busy, EventRecorder.Warning, "DrainBlocked", "warnings always get through"));

        time.Advance(TimeSpan.FromMinutes(5));
        Assert.NotNull(await recorder.RecordAsync(busy, EventRecorder.Normal, "Later", "one token back after five minutes"));
        Assert.Null(await recorder.RecordAsync(busy, EventRecorder.Normal, "Sooner", "and only one"));

        var events = (await cluster.Client.CoreV1.ListNamespacedEventAsync("default")).Items;
        Assert.Equal(27, events.Count(e => e.InvolvedObject.Name == "busy"));
        Assert.Equal(28, cluster.Server.Requests.Get("create", "events"));
    }
}
