using NetworkOperator.Controllers.Upgrade;

namespace NetworkOperator.Tools.Benchmarks;

/// <summary>
/// The API requests the executor would send for the plans of a synthetic upgrade, by verb and resource: one node patch
/// per node a pass writes to (its label, annotation and cordon changes travel together), one DELETE per driver pod,
/// one Event per recorded event. Drains are left out: their evictions depend on the workload, and their pods come from
/// the drain pod cache (one LIST per upgrade, not per node).
/// </summary>
public sealed class SyntheticRequests
{
    public int NodePatches { get; private set; }

    public int DriverPodDeletes { get; private set; }

    public int EventCreates { get; private set; }

    public int Total => NodePatches + DriverPodDeletes + EventCreates;

    public void Count(UpgradePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        NodePatches += plan.Actions.Select(a => a switch
        {
            SetNodeState s => s.Node,
            MarkFailed f => f.Node,
            SetNodeAnnotation an => an.Node,
            SetNodeUnschedulable u => u.Node,
            _ => null,
        }).OfType<string>().Distinct(StringComparer.Ordinal).Count();
        DriverPodDeletes += plan.Actions.OfType<DeleteDriverPod>().Count();
        EventCreates += plan.Actions.OfType<RecordEvent>().Count();
    }
}
