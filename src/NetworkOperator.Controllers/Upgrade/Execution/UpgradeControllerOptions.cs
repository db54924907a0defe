namespace NetworkOperator.Controllers.Upgrade;

/// <summary>Settings of the driver upgrade controller; defaults are upstream's.</summary>
public sealed record UpgradeControllerOptions
{
    /// <summary>Where the driver DaemonSets and pods live (the operator namespace).</summary>
    public string Namespace { get; init; } = Startup.OperatorEnvironment.DefaultNamespace;

    /// <summary>Re-run interval while any policy has auto-upgrade on (upstream: 2 minutes).</summary>
    public TimeSpan RequeueInterval { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Re-run interval while a pass is stalled (a driver pod being recreated).</summary>
    public TimeSpan StalledRequeueInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Least time between two passes while no node is upgrading. Every node, driver pod and DaemonSet event wakes the one
    /// key, and a pass plans the whole cluster: an install burst ran 400 passes in 15 s at 1,000 nodes. Events within the
    /// interval are coalesced into the next pass. While nodes are between upgrade-required and uncordon, passes are not
    /// held back: each step follows the previous one's outcome (at 1,000 nodes pacing those too measured within noise,
    /// 49.4 s against 52.5 s, but a real upgrade gains nothing from waiting). Not 250 ms as the policies': the pass
    /// that writes <c>status.upgrade</c> after the last nodes turn <c>upgrade-done</c> then lost the race against the
    /// policy turning ready (a 3-node run wrote it after Ready), since that write is not part of the readiness gate.
    /// </summary>
    public TimeSpan PassInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Largest share of a core the passes may take while no node is upgrading (the runtime's
    /// <c>ControllerOptions.IdleShare</c>, its rest at most 1 s): a pass plans every node, so at 10,000 nodes one took
    /// ~25–40 ms and the 100 ms interval let idle passes take a third of a core through the whole install. At 1,000 nodes a
    /// pass takes a few milliseconds and the interval alone paces it, as before.
    /// </summary>
    public double IdlePassShare { get; init; } = 0.1;

    /// <summary>Wait between eviction attempts refused by a PodDisruptionBudget.</summary>
    public TimeSpan EvictionRetryInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Interval of checks that evicted pods are gone.</summary>
    public TimeSpan DeletionPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Maintenance-operator mode (docs/driver-upgrade.md) when set: <see cref="MaintenanceOptions.RequestorId"/> is the base ID (node
    /// policies derive theirs). Null runs the in-place flow.
    /// </summary>
    public MaintenanceOptions? Maintenance { get; init; }

    /// <summary>Re-run interval while a node waits for its NodeMaintenance (they are polled, not watched).</summary>
    public TimeSpan MaintenancePollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Name of the NicClusterPolicy acted on (upstream's singleton).</summary>
    public string ClusterPolicyName { get; init; } = "nic-cluster-policy";
}
