using NetworkOperator.Api.Components;
using Prometheus;

namespace NetworkOperator.Controllers.Hosting;

/// <summary>Per-component readiness gauges beside the controller runtime's metrics (1 ready, 0 not ready or error).</summary>
public sealed class ComponentMetrics
{
    private readonly Gauge _ready;
    private readonly Gauge _policyReady;

    public ComponentMetrics(CollectorRegistry registry)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _ready = factory.CreateGauge("network_operator_component_ready",
            "Whether a policy component (state) is ready: 1 ready, 0 otherwise; absent when the component is not configured.",
            "kind", "policy", "state");
        _policyReady = factory.CreateGauge("network_operator_policy_ready",
            "Whether a policy or network custom resource is ready: 1 ready, 0 otherwise.", "kind", "name");
    }

    public void Component(string kind, string policy, string state, bool? ready)
    {
        if (ready is null)
        {
            _ready.RemoveLabelled(kind, policy, state);
            return;
        }

        _ready.WithLabels(kind, policy, state).Set(ready.Value ? 1 : 0);
    }

    public void Resource(string kind, string name, bool? ready)
    {
        if (ready is null)
        {
            _policyReady.RemoveLabelled(kind, name);
            return;
        }

        _policyReady.WithLabels(kind, name).Set(ready.Value ? 1 : 0);
    }

    /// <summary>Drops every series of a policy that is gone, so its gauges do not linger at their last value.</summary>
    public void Forget(string kind, string policy, IEnumerable<ComponentDescriptor> components)
    {
        ArgumentNullException.ThrowIfNull(components);
        foreach (var component in components)
        {
            Component(kind, policy, component.StateName, null);
        }

        Resource(kind, policy, null);
    }
}
