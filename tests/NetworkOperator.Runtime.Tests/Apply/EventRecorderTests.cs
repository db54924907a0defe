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

        cluster.Server.Faults.AddRule(new Simulator.Diagnostics.FaultRule("create", "events", 500));
        Assert.Null(await recorder.RecordAsync(node, EventRecorder.Normal, "Other", "x"));
    }
}
