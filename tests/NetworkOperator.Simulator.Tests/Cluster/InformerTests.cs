using System.Text.Json.Nodes;
using k8s.Models;
using NetworkOperator.Simulator.ApiServer;
using NetworkOperator.Simulator.Cluster.Informers;
using NetworkOperator.Simulator.Storage;

namespace NetworkOperator.Simulator.Tests.Cluster;

/// <summary>
/// The simulated controllers' informer takes changes from two sides: its watch, and the controllers' own writes
/// (Assume). These tests pin the ordering guarantees the controllers' indexes rely on.
/// </summary>
public sealed class InformerTests
{
    [Fact]
    public async Task A_late_watch_event_does_not_bring_back_an_object_this_process_deleted()
    {
        await using var server = await SimulatedApiServer.StartNewAsync();
        var pods = server.Resources.Registry.Find("", "v1", "pods")!;
        var informer = new Informer<V1Pod>(server.Resources, pods);
        var seen = new List<(string? Old, string? New)>();
        informer.OnChange((old, current) =>
        {
            lock (seen)
            {
                seen.Add((old?.Metadata.ResourceVersion, current?.Metadata.ResourceVersion));
            }
        });

        var created = await server.Resources.CreateAsync(pods, "default", Pod("p"));
        var labelled = await server.Resources.PatchAsync(pods, "default", "p", PatchType.Merge, Labels("a", "b"));
        var deleted = await server.Resources.DeleteAsync(pods, "default", "p", new DeleteOptions { GracePeriodSeconds = 0 });
        Assert.True(deleted.Deleted);

        // The deleting controller learns of its delete before the watch has delivered the earlier changes.
        informer.Assume(created);
        informer.AssumeDeleted(deleted.Object);
        informer.Assume(labelled);
        Assert.Null(informer.Get("default", "p"));

        // The watch then replays everything in order; the pod stays gone and no handler sees it come back.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var run = informer.RunAsync(cts.Token);
        await informer.Synced;
        Assert.Null(informer.Get("default", "p"));
        await cts.CancelAsync();
        await run;
        lock (seen)
        {
            Assert.Equal([(null, created.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                (created.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), null)], seen);
        }
    }

    [Fact]
    public async Task Handlers_hear_every_change_once_and_never_a_stale_copy()
    {
        await using var server = await SimulatedApiServer.StartNewAsync();
        var pods = server.Resources.Registry.Find("", "v1", "pods")!;
        var informer = new Informer<V1Pod>(server.Resources, pods);
        var heard = new List<(string? Old, string? New)>();
        informer.OnChange((old, current) => heard.Add((old?.Metadata.ResourceVersion, current?.Metadata.ResourceVersion)));
        static string Rv(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var created = await server.Resources.CreateAsync(pods, "default", Pod("p"));
        informer.Assume(created);
        var labelled = await server.Resources.PatchAsync(pods, "default", "p", PatchType.Merge, Labels("a", "b"));
        informer.Assume(labelled);

        // An older copy arriving late, or the same one again, changes nothing and is not reported.
        informer.Assume(created);
        informer.Assume(labelled);
        Assert.Equal(Rv(labelled.ResourceVersion), informer.Get("default", "p")!.Metadata.ResourceVersion);

        var deleted = await server.Resources.DeleteAsync(pods, "default", "p", new DeleteOptions { GracePeriodSeconds = 0 });
        informer.AssumeDeleted(deleted.Object);
        Assert.Equal([(null, Rv(created.ResourceVersion)), (Rv(created.ResourceVersion), Rv(labelled.ResourceVersion)), (Rv(labelled.ResourceVersion), null)], heard);
    }

    [Fact]
    public async Task A_write_assumed_after_the_watch_reported_the_delete_does_not_bring_the_object_back()
    {
        await using var server = await SimulatedApiServer.StartNewAsync();
        var pods = server.Resources.Registry.Find("", "v1", "pods")!;
        var informer = new Informer<V1Pod>(server.Resources, pods);
        var deletedSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        informer.OnChange((_, current) =>
        {
            if (current is null)
            {
                deletedSeen.TrySetResult();
            }
        });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var run = informer.RunAsync(cts.Token);
        await informer.Synced;

        // One controller marks the pod, another deletes it, and the watch reports both before the first controller
        // gets round to assuming its own (now stale) write.
        await server.Resources.CreateAsync(pods, "default", Pod("p"));
        var marked = await server.Resources.PatchAsync(pods, "default", "p", PatchType.Merge, Labels("a", "b"));
        await server.Resources.DeleteAsync(pods, "default", "p", new DeleteOptions { GracePeriodSeconds = 0 });
        await deletedSeen.Task.WaitAsync(TimeSpan.FromSeconds(30));

        informer.Assume(marked);
        Assert.Null(informer.Get("default", "p"));

        // A new pod under the same name is a different object and is taken.
        var again = await server.Resources.CreateAsync(pods, "default", Pod("p"));
        informer.Assume(again);
        Assert.Equal(again.Uid, informer.Get("default", "p")!.Metadata.Uid);
        await cts.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Handlers_see_changes_from_concurrent_writers_in_the_order_the_cache_took_them()
    {
        await using var server = await SimulatedApiServer.StartNewAsync();
        var pods = server.Resources.Registry.Find("", "v1", "pods")!;
        var informer = new Informer<V1Pod>(server.Resources, pods);
        var index = new OwnerIndexProbe();
        informer.OnChange(index.Apply);

        var versions = new List<StoredObject> { await server.Resources.CreateAsync(pods, "default", Pod("p")) };
        for (var i = 0; i < 200; i++)
        {
            versions.Add(await server.Resources.PatchAsync(pods, "default", "p", PatchType.Merge, Labels("n", i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }

        // Two threads race to apply interleaved versions; whatever wins, the index must end on the newest one.
        await Task.WhenAll(
            Task.Run(() => versions.Where((_, i) => i % 2 == 0).ToList().ForEach(informer.Assume)),
            Task.Run(() => versions.Where((_, i) => i % 2 == 1).ToList().ForEach(informer.Assume)));

        Assert.Equal(versions[^1].ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), informer.Get("default", "p")!.Metadata.ResourceVersion);
        Assert.Equal(informer.Get("default", "p")!.Metadata.ResourceVersion, index.Current);
    }

    private static JsonObject Labels(string key, string value) =>
        new() { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [key] = value } } };

    private static JsonObject Pod(string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
        ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "example/c:1" }) },
    };

    // Mirrors what OwnerIndex does with a handler's (old, new) pair: remove old, add new.
    private sealed class OwnerIndexProbe
    {
        private readonly Lock _lock = new();
        private string? _current;

        public string? Current
        {
            get
            {
                lock (_lock)
                {
                    return _current;
                }
            }
        }

        public void Apply(V1Pod? old, V1Pod? current)
        {
            lock (_lock)
            {
                if (old is not null && _current == old.Metadata.ResourceVersion)
                {
                    _current = null;
                }

                if (current is not null)
                {
                    _current = current.Metadata.ResourceVersion;
                }
            }
        }
    }
}
