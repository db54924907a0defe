using k8s;
using k8s.Models;

namespace NetworkOperator.Tools.Demo;

/// <summary>
/// The nodes' driver-upgrade states and cordons as a watch delivers them, so the demo's plain lines show every step an
/// upgrade takes even when a small cluster goes through it between two polls: each node event that changes the
/// picture is kept, in order, until the demo takes it.
/// </summary>
internal sealed class NodeStateWatch : IAsyncDisposable
{
    private readonly Dictionary<string, (string? State, bool Cordoned)> _nodes = new(StringComparer.Ordinal);

    // Kept up to date node by node, so a picture costs the number of states and cordons, not a pass over every node.
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _cordoned = new(StringComparer.Ordinal);
    private readonly List<NodeStates> _changes = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private NodeStates _current = NodeStates.Empty;
    private Task _loop = Task.CompletedTask;

    public static async Task<NodeStateWatch> StartAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        var watch = new NodeStateWatch();
        var nodes = await client.CoreV1.ListNodeAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        lock (watch._gate)
        {
            watch.Reset(nodes.Items);
            watch._changes.Clear();
        }

        var token = watch._stop.Token;
        watch._loop = Task.Run(() => WatchLoop.FollowAsync(watch._gate, nodes.ResourceVersion(),
            rv => client.CoreV1.WatchListNodeAsync(resourceVersion: rv, allowWatchBookmarks: true, cancellationToken: token),
            watch.Apply,
            async ct =>
            {
                var list = await client.CoreV1.ListNodeAsync(cancellationToken: ct).ConfigureAwait(false);
                return (list.ResourceVersion(), () => watch.Reset(list.Items));
            },
            token), token);
        return watch;
    }

    /// <summary>The picture now.</summary>
    public NodeStates Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>Every picture since the last call, oldest first, then forgotten.</summary>
    public IReadOnlyList<NodeStates> TakeChanges()
    {
        lock (_gate)
        {
            var changes = _changes.ToList();
            _changes.Clear();
            return changes;
        }
    }

    private void Apply(WatchEventType type, V1Node node)
    {
        if (Set(node.Name(), type == WatchEventType.Deleted ? null : Of(node)))
        {
            Publish();
        }
    }

    private void Reset(IEnumerable<V1Node> nodes)
    {
        _nodes.Clear();
        _counts.Clear();
        _cordoned.Clear();
        foreach (var node in nodes)
        {
            Set(node.Name(), Of(node));
        }

        Publish();
    }

    // Records a node's state and cordon (null: gone); false when neither changed.
    private bool Set(string name, (string? State, bool Cordoned)? entry)
    {
        var had = _nodes.TryGetValue(name, out var old);
        if (had && entry == old)
        {
            return false;
        }

        if (had)
        {
            if (old.State is not null && --_counts[old.State] == 0)
            {
                _counts.Remove(old.State);
            }

            _cordoned.Remove(name);
            _nodes.Remove(name);
        }

        if (entry is { } now)
        {
            _nodes[name] = now;
            if (now.State is not null)
            {
                _counts[now.State] = _counts.GetValueOrDefault(now.State) + 1;
            }

            if (now.Cordoned)
            {
                _cordoned.Add(name);
            }
        }

        return true;
    }

    private void Publish()
    {
        var next = NodeStates.From(_counts, _cordoned);
        if (next.Equals(_current))
        {
            return;
        }

        _current = next;
        _changes.Add(next);
    }

    private static (string? State, bool Cordoned) Of(V1Node node) => (NodeStates.UpgradeStateOf(node), node.Spec?.Unschedulable == true);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }
}
