namespace NetworkOperator.Simulator.Cluster;

/// <summary>What the simulated cluster has done, for tests (which may assert counts) and benchmarks.</summary>
public sealed class ClusterCounters
{
    private long _podsCreated;
    private long _podsDeleted;
    private long _bindings;
    private long _schedulingFailures;
    private long _podsStarted;
    private long _containerRestarts;
    private long _statusWrites;
    private long _events;
    private long _syncErrors;
    private long _daemonSetSyncs;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _daemonSetSyncsByKey = new(StringComparer.Ordinal);

    public long PodsCreated => Interlocked.Read(ref _podsCreated);

    public long PodsDeleted => Interlocked.Read(ref _podsDeleted);

    public long Bindings => Interlocked.Read(ref _bindings);

    public long SchedulingFailures => Interlocked.Read(ref _schedulingFailures);

    /// <summary>Pods the kubelet moved to Running with Ready containers.</summary>
    public long PodsStarted => Interlocked.Read(ref _podsStarted);

    public long ContainerRestarts => Interlocked.Read(ref _containerRestarts);

    public long StatusWrites => Interlocked.Read(ref _statusWrites);

    public long Events => Interlocked.Read(ref _events);

    /// <summary>Syncs that failed and were retried (conflicts included); see <see cref="SimulatedCluster.LastErrors"/>.</summary>
    public long SyncErrors => Interlocked.Read(ref _syncErrors);

    /// <summary>DaemonSet controller syncs: each is linear in the nodes, so their number is most of a rollout's controller cost.</summary>
    public long DaemonSetSyncs => Interlocked.Read(ref _daemonSetSyncs);

    /// <summary>Syncs of one DaemonSet (namespace/name).</summary>
    public long DaemonSetSyncsOf(string key) => _daemonSetSyncsByKey.GetValueOrDefault(key);

    internal void DaemonSetSynced(string key)
    {
        Interlocked.Increment(ref _daemonSetSyncs);
        _daemonSetSyncsByKey.AddOrUpdate(key, 1, (_, n) => n + 1);
    }

    internal void PodCreated() => Interlocked.Increment(ref _podsCreated);

    internal void PodDeleted() => Interlocked.Increment(ref _podsDeleted);

    internal void Bound() => Interlocked.Increment(ref _bindings);

    internal void SchedulingFailed() => Interlocked.Increment(ref _schedulingFailures);

    internal void PodStarted() => Interlocked.Increment(ref _podsStarted);

    internal void ContainerRestarted() => Interlocked.Increment(ref _containerRestarts);

    internal void StatusWritten() => Interlocked.Increment(ref _statusWrites);

    internal void EventRecorded() => Interlocked.Increment(ref _events);

    internal void SyncFailed() => Interlocked.Increment(ref _syncErrors);
}
