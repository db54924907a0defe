using System.Diagnostics;
using k8s;
using k8s.Models;
using NetworkOperator.Api.Contract;

namespace NetworkOperator.Tools.Demo;

/// <summary>
/// What the demo knows about a driver upgrade, learnt from two watches (nodes, and the driver pods in the operator
/// namespace) so that observing costs two requests rather than a list per refresh: each node's upgrade state and
/// cordon, which nodes run a ready driver pod of the target version, and the most nodes cordoned at once after any
/// single node event.
/// </summary>
internal sealed class UpgradeProgress : IAsyncDisposable
{
    private const string NoState = "(none)";

    /// <summary>The view's name for a node still on the old driver that the operator has not started to upgrade.</summary>
    public const string OldDriver = "old driver, not started";

    private readonly string _targetVersion;
    private readonly Dictionary<string, (string State, bool Cordoned)> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Node, bool Upgraded)> _driverPods = new(StringComparer.Ordinal);

    // Kept with every change of the two maps above: the view is taken ten times a second and every node event asks
    // them, so they must not walk every node or pod (that walk was a few percent of the demo process's CPU, which the
    // upgrade report counts as the simulated cluster's, at 1,000 nodes).
    private readonly Dictionary<string, int> _upgradedPodsByNode = new(StringComparer.Ordinal);
    private int _cordoned;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private int _maxCordoned;
    private readonly int _timed;
    private readonly List<long> _upgradedAt = [];
    private readonly HashSet<string> _timedNodes = new(StringComparer.Ordinal);

    private UpgradeProgress(string targetVersion, int timed) => (_targetVersion, _timed) = (targetVersion, timed);

    /// <summary>Nodes that ran a driver pod when the watch started: the ones the upgrade must go through.</summary>
    public IReadOnlyCollection<string> DriverNodes { get; private set; } = [];

    /// <param name="client">The demo's client.</param>
    /// <param name="ns">The operator namespace (driver pods).</param>
    /// <param name="targetVersion">The driver version upgraded to.</param>
    /// <param name="timed">How many of the first nodes upgraded get their time recorded (<see cref="UpgradedAt"/>).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public static async Task<UpgradeProgress> StartAsync(IKubernetes client, string ns, string targetVersion, int timed, CancellationToken cancellationToken)
    {
        var progress = new UpgradeProgress(targetVersion, timed);
        var nodes = await client.CoreV1.ListNodeAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var pods = await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: Labels.OfedDriver, cancellationToken: cancellationToken).ConfigureAwait(false);
        lock (progress._gate)
        {
            foreach (var node in nodes.Items)
            {
                progress.TrackNode(node);
            }

            foreach (var pod in pods.Items)
            {
                progress.TrackPod(pod);
            }

            progress.DriverNodes = progress._driverPods.Values.Select(p => p.Node).ToHashSet(StringComparer.Ordinal);
        }

        var token = progress._stop.Token;
        progress._loops.Add(Task.Run(() => WatchLoop.FollowAsync(progress._gate, nodes.ResourceVersion(),
            rv => client.CoreV1.WatchListNodeAsync(resourceVersion: rv, allowWatchBookmarks: true, cancellationToken: token),
            (type, node) => { if (type == WatchEventType.Deleted) { progress.ForgetNode(node.Name()); } else { progress.TrackNode(node); } },
            async ct =>
            {
                var list = await client.CoreV1.ListNodeAsync(cancellationToken: ct).ConfigureAwait(false);
                return (list.ResourceVersion(), () => { progress.ForgetNodes(); list.Items.ToList().ForEach(progress.TrackNode); });
            },
            token), token));
        progress._loops.Add(Task.Run(() => WatchLoop.FollowAsync(progress._gate, pods.ResourceVersion(),
            rv => client.CoreV1.WatchListNamespacedPodAsync(ns, labelSelector: Labels.OfedDriver, resourceVersion: rv, allowWatchBookmarks: true,
                cancellationToken: token),
            (type, pod) => { if (type == WatchEventType.Deleted) { progress.ForgetPod(pod.Uid()); } else { progress.TrackPod(pod); } },
            async ct =>
            {
                var list = await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: Labels.OfedDriver, cancellationToken: ct).ConfigureAwait(false);
                return (list.ResourceVersion(), () => { progress.ForgetPods(); list.Items.ToList().ForEach(progress.TrackPod); });
            },
            token), token));
        return progress;
    }

    /// <summary>
    /// <see cref="Stopwatch"/> timestamps at which the first nodes (as many as asked for) became upgraded (done on a
    /// ready new driver pod), in order, taken as their watch events arrive, so a short upgrade is not timed at the
    /// granularity of polls.
    /// </summary>
    public IReadOnlyList<long> UpgradedAt
    {
        get
        {
            lock (_gate)
            {
                return [.. _upgradedAt];
            }
        }
    }

    public int MaxCordoned
    {
        get
        {
            lock (_gate)
            {
                return _maxCordoned;
            }
        }
    }

    /// <summary>The picture now: nodes per upgrade state and the cordoned ones, over <see cref="DriverNodes"/>.</summary>
    public UpgradeView View()
    {
        lock (_gate)
        {
            var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
            var cordoned = new List<string>();
            var failed = new List<string>();
            foreach (var name in DriverNodes)
            {
                var (state, isCordoned) = _nodes.GetValueOrDefault(name, (NoState, false));
                if (state == "upgrade-done" && !_upgradedPodsByNode.ContainsKey(name))
                {
                    // Done with the previous version: the operator has not picked this node up for the new one yet.
                    state = OldDriver;
                }

                counts[state] = counts.GetValueOrDefault(state) + 1;
                if (isCordoned)
                {
                    cordoned.Add(name);
                }

                if (state == "upgrade-failed")
                {
                    failed.Add(name);
                }
            }

            var done = DriverNodes.Count(n => _upgradedPodsByNode.ContainsKey(n) && _nodes.GetValueOrDefault(n).State == "upgrade-done");
            cordoned.Sort(StringComparer.Ordinal);
            failed.Sort(StringComparer.Ordinal);
            return new UpgradeView(DriverNodes.Count, done, counts, cordoned, failed, _maxCordoned);
        }
    }

    private void TrackNode(V1Node node)
    {
        var state = node.Metadata.Labels is { } labels && labels.TryGetValue(Labels.UpgradeState, out var s) ? s : NoState;
        var cordoned = node.Spec?.Unschedulable == true;
        ForgetNode(node.Name());
        _nodes[node.Name()] = (state, cordoned);
        _cordoned += cordoned ? 1 : 0;
        _maxCordoned = Math.Max(_maxCordoned, _cordoned);
        NoteIfUpgraded(node.Name());
    }

    private void ForgetNode(string name)
    {
        if (_nodes.Remove(name, out var old) && old.Cordoned)
        {
            _cordoned--;
        }
    }

    private void ForgetNodes()
    {
        _nodes.Clear();
        _cordoned = 0;
    }

    private void NoteIfUpgraded(string node)
    {
        if (_upgradedAt.Count < _timed && DriverNodes.Contains(node) && !_timedNodes.Contains(node)
            && _nodes.GetValueOrDefault(node).State == "upgrade-done" && _upgradedPodsByNode.ContainsKey(node))
        {
            _timedNodes.Add(node);
            _upgradedAt.Add(Stopwatch.GetTimestamp());
        }
    }

    private void TrackPod(V1Pod pod)
    {
        ForgetPod(pod.Uid());
        if (string.IsNullOrEmpty(pod.Spec?.NodeName) || pod.Metadata.DeletionTimestamp is not null)
        {
            return;
        }

        var upgraded = pod.Spec.Containers.Any(c => c.Image?.Contains(_targetVersion, StringComparison.Ordinal) == true)
            && pod.Status?.ContainerStatuses is { Count: > 0 } statuses && statuses.All(c => c.Ready);
        _driverPods[pod.Uid()] = (pod.Spec.NodeName, upgraded);
        if (upgraded)
        {
            _upgradedPodsByNode[pod.Spec.NodeName] = _upgradedPodsByNode.GetValueOrDefault(pod.Spec.NodeName) + 1;
        }

        NoteIfUpgraded(pod.Spec.NodeName);
    }

    private void ForgetPod(string uid)
    {
        if (_driverPods.Remove(uid, out var old) && old.Upgraded && --_upgradedPodsByNode[old.Node] == 0)
        {
            _upgradedPodsByNode.Remove(old.Node);
        }
    }

    private void ForgetPods()
    {
        _driverPods.Clear();
        _upgradedPodsByNode.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var loop in _loops)
        {
            await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stop.Dispose();
    }
}
