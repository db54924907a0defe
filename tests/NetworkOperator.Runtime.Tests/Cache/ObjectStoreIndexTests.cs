using k8s.Models;
using NetworkOperator.Runtime.Cache;

namespace NetworkOperator.Runtime.Tests.Cache;

public class ObjectStoreIndexTests
{
    private const string ByNode = "spec.nodeName";
    private static readonly Func<V1Pod, string?> NodeOf = p => p.Spec?.NodeName;

    [Fact]
    public void A_named_index_follows_inserts_moves_and_removals()
    {
        var store = new ObjectStore<V1Pod>();
        store.AddIndex(ByNode, NodeOf);

        store.Upsert(Pod("a", "node-1"));
        store.Upsert(Pod("b", "node-1"));
        store.Upsert(Pod("c", null));
        Assert.Equal(["a", "b"], Names(store.ListByIndex(ByNode, "node-1")));
        Assert.Empty(store.ListByIndex(ByNode, "node-2"));

        // Replaced with another value: the object leaves its old entry (a rescheduled copy, a bound pod).
        store.Upsert(Pod("b", "node-2"));
        store.Upsert(Pod("c", "node-2"));
        Assert.Equal(["a"], Names(store.ListByIndex(ByNode, "node-1")));
        Assert.Equal(["b", "c"], Names(store.ListByIndex(ByNode, "node-2")));

        store.Remove(new Runtime.Reconcile.ObjectKey("ns", "a"));
        Assert.Empty(store.ListByIndex(ByNode, "node-1"));
        Assert.True(store.RemoveIfNotNewer(Pod("c", "node-2")) is not null);
        Assert.Equal(["b"], Names(store.ListByIndex(ByNode, "node-2")));
    }

    [Fact]
    public void An_index_added_late_covers_the_objects_already_stored()
    {
        var store = new ObjectStore<V1Pod>();
        store.Upsert(Pod("a", "node-1"));
        store.Upsert(Pod("b", "node-2"));

        store.AddIndex(ByNode, NodeOf);

        Assert.Equal(["a"], Names(store.ListByIndex(ByNode, "node-1")));
        Assert.Equal(["b"], Names(store.ListByIndex(ByNode, "node-2")));
    }

    [Fact]
    public void The_same_index_asked_for_twice_is_kept_once_and_a_different_function_under_its_name_is_refused()
    {
        var store = new ObjectStore<V1Pod>();
        store.AddIndex(ByNode, NodeOf);
        store.AddIndex(ByNode, NodeOf);
        store.Upsert(Pod("a", "node-1"));

        Assert.Single(store.ListByIndex(ByNode, "node-1"));
        Assert.Throws<InvalidOperationException>(() => store.AddIndex(ByNode, p => p.Metadata.Name));
        Assert.Throws<InvalidOperationException>(() => store.ListByIndex("no-such-index", "x"));
    }

    private static V1Pod Pod(string name, string? node) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "ns", ResourceVersion = "1" },
        Spec = new V1PodSpec { NodeName = node },
    };

    private static string[] Names(IReadOnlyList<V1Pod> pods) => [.. pods.Select(p => p.Metadata.Name).Order(StringComparer.Ordinal)];
}
