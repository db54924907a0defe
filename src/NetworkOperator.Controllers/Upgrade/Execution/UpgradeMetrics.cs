using Prometheus;

namespace NetworkOperator.Controllers.Upgrade;

/// <summary>Prometheus metrics of the driver upgrade: nodes per state and upgrades completed or failed, per policy.</summary>
public sealed class UpgradeMetrics
{
    public UpgradeMetrics(CollectorRegistry? registry = null)
    {
        var factory = Metrics.WithCustomRegistry(registry ?? Metrics.NewCustomRegistry());
        NodesByState = factory.CreateGauge("network_operator_driver_upgrade_nodes",
            "Managed nodes per driver upgrade state (the nvidia.com/ofed-driver-upgrade-state label), per policy.", "policy", "state");
        Completed = factory.CreateCounter("network_operator_driver_upgrades_completed_total",
            "Node driver upgrades that reached upgrade-done, per policy.", "policy");
        Failed = factory.CreateCounter("network_operator_driver_upgrades_failed_total",
            "Node driver upgrades that ended in upgrade-failed, per policy.", "policy");
        Drains = factory.CreateCounter("network_operator_driver_upgrade_drains_total",
            "Node drains started by the driver upgrade, per policy and result (started, succeeded, failed).", "policy", "result");
    }

    public Gauge NodesByState { get; }

    public Counter Completed { get; }

    public Counter Failed { get; }

    public Counter Drains { get; }

    internal void Publish(string policy, UpgradeSummary summary, IEnumerable<string> previousStates)
    {
        foreach (var state in previousStates.Except(summary.NodeCountsByState.Keys))
        {
            NodesByState.WithLabels(policy, state).Set(0);
        }

        foreach (var (state, count) in summary.NodeCountsByState)
        {
            NodesByState.WithLabels(policy, state).Set(count);
        }
    }
}
