using NetworkOperator.Api.Components;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Api.Validation;
using NetworkOperator.Controllers.Hosting;
using NetworkOperator.Rendering;
using NetworkOperator.Runtime.Reconcile;

namespace NetworkOperator.Controllers.Policies;

/// <summary>
/// Reconciles a NicNodePolicy (docs/operator.md): overlap check first (an overlap is an aggregate <c>error</c> with
/// <c>Ready=False</c>, nothing synced, retried after the requeue delay), then the three per-node-group states with
/// the policy's name suffixes and <c>ds-owner: nnp-&lt;name&gt;</c>.
/// </summary>
/// <param name="context">The operator's clients, caches and settings.</param>
/// <param name="sync">Renders and applies each component state.</param>
/// <param name="reporter">Writes the status, Events and gauges.</param>
/// <param name="pendingNodeLabels">How many nodes still need wait-label changes (the policy is not ready before they are made); none when null.</param>
/// <param name="upgradeSettling">Whether the driver upgrade controller has a pass queued or running (see <see cref="UpgradeSettle"/>); never when null.</param>
/// <param name="awaitsDriver">Whether nodes are still to be held for a driver about to reach them (see <see cref="StateSynchronizer.SyncAllAsync"/>); never when null.</param>
public sealed class NicNodePolicyReconciler(OperatorContext context, StateSynchronizer sync, PolicyReporter reporter, Func<int>? pendingNodeLabels = null,
    Func<bool>? upgradeSettling = null, Func<bool>? awaitsDriver = null) : IReconciler
{
    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var policy = context.Reader.Get<NicNodePolicy>(null, key.Name);
        if (policy is null || policy.Metadata.DeletionTimestamp is not null)
        {
            context.Metrics.Forget(NicNodePolicy.KubeKind, key.Name, ComponentCatalog.NodePolicy);
            reporter.Forget(NicNodePolicy.KubeKind, key.Name);
            return ReconcileResult.Done;
        }

        var now = context.Time.GetUtcNow();
        if (SpecValidation.Problems(policy) is { } invalid)
        {
            var error = PolicyStatusCalculator.Compute(policy.Status, [], policy.Metadata.Generation, now, SyncStates.Error, invalid, ConditionReasons.InvalidSpec);
            await reporter.ReportInvalidAsync(policy, policy.Status, error, p => p.Status, (p, s) => p.Status = s, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Done;
        }

        var (facts, waitForTrustedCa) = await context.OpenShift.AddAsync(context.Facts(), policy, policy.Spec.OfedDriver, cancellationToken)
            .ConfigureAwait(false);
        if (waitForTrustedCa is { } wait)
        {
            // OpenShift fills the trusted CA ConfigMap within seconds; a driver pod started before would lack the bundle.
            return ReconcileResult.After(wait);
        }

        var overlap = NodeSelectorOverlap.Detect(context.Reader.List<NicNodePolicy>().Where(p => p.Metadata.DeletionTimestamp is null).ToList(),
            facts.Nodes, key.Name);
        if (overlap is not null)
        {
            var error = PolicyStatusCalculator.Compute(policy.Status, [], policy.Metadata.Generation, now, SyncStates.Error, overlap);
            await reporter.ReportAsync(policy, policy.Status, error, [], p => p.Status, (p, s) => p.Status = s, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.After(context.Environment.NotReadyRequeue);
        }

        if (policy.Spec.OfedDriver is { } ofed && context.RefreshTags is not null && !string.IsNullOrEmpty(ofed.Repository) && !string.IsNullOrEmpty(ofed.Image))
        {
            await context.RefreshTags(ofed.Repository, ofed.Image, cancellationToken).ConfigureAwait(false);
        }

        var owner = Owner.Of(policy);
        var taken = SectionsTakenByTheClusterPolicy(policy);
        List<StateResult> results;
        try
        {
            var states = ComponentStates.NodePolicy
                .Select(state => (state.Name, ComponentCatalog.Find(state.Name)!.DsOwner(NicNodePolicy.KubeKind, key.Name),
                    state.IsEnabled(policy) && !taken.ContainsKey(state.Name) ? () => state.Render(policy, facts) : (Func<RenderResult>?)null))
                .ToList();
            results = await sync.SyncAllAsync(owner, states, cancellationToken, RenderInputs.Digest(policy, policy.Spec, facts), awaitsDriver)
                .ConfigureAwait(false);
            results = [.. results.Select(r => taken.TryGetValue(r.Name, out var message) ? StateResult.Error(r.Name, message) : r)];
        }
        catch (OwnerChangedException ex)
        {
            // Deleted or edited meanwhile: no status for a state that is no longer asked for; its own event runs the next pass.
            ControllersLog.PassEnded(context.LoggerFactory, "NetworkOperator.Controllers.Policies", ex.Message);
            return ReconcileResult.Done;
        }

        return await reporter.FinishPassAsync(policy, results, now, pendingNodeLabels, upgradeSettling, p => p.Status, (p, s) => p.Status = s,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The sections this policy shares with the NicClusterPolicy, by state name, with the webhook's message. The webhook
    /// refuses the second of two such policies; without it (disabled, or objects stored before it was installed) both
    /// would deploy the component to the same nodes, two device plugins for one device. The cluster policy keeps the
    /// section, this policy's state is an error and its objects of that state are removed as for a removed section.
    /// </summary>
    private Dictionary<string, string> SectionsTakenByTheClusterPolicy(NicNodePolicy policy)
    {
        var clusterPolicy = context.Reader.Get<NicClusterPolicy>(null, ApiGroup.NicClusterPolicyName);
        return NicNodePolicyValidator.SectionsTakenBy(clusterPolicy?.Metadata.DeletionTimestamp is null ? clusterPolicy : null, policy)
            .ToDictionary(t => t.Component.StateName, t => t.Message, StringComparer.Ordinal);
    }
}
