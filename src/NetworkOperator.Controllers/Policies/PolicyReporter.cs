using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Controllers.Hosting;
using NetworkOperator.Runtime.Apply;
using NetworkOperator.Runtime.Reconcile;

namespace NetworkOperator.Controllers.Policies;

/// <summary>
/// Publishes a policy's outcome: the status (only when changed, and at most once a second while it stays
/// <c>notReady</c>, see <see cref="StatusCoalescer"/>), Kubernetes Events for component transitions and errors (never
/// for an unchanged loop), and the readiness gauges.
/// </summary>
public sealed class PolicyReporter(OperatorContext context, StatusWriter writer)
{
    private readonly ILogger _logger = context.LoggerFactory.CreateLogger("NetworkOperator.Controllers.Policies");

    private readonly StatusCoalescer _coalescer = new(context.Time);

    /// <summary>
    /// The end of a pass, the same for both policy kinds: the driver state is held back while node wait labels are
    /// pending (<see cref="NodeLabels.NodeLabelGate"/>), the first turn to ready while the driver upgrade settles
    /// (<see cref="UpgradeSettle"/>); then the status is reported and the next look chosen.
    /// </summary>
    public async Task<ReconcileResult> FinishPassAsync<T>(T policy, List<StateResult> results, DateTimeOffset now, Func<int>? pendingNodeLabels,
        Func<bool>? upgradeSettling, Func<T, NicPolicyStatus?> get, Action<T, NicPolicyStatus> set, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(get);
        var live = get(policy);
        results = NodeLabels.NodeLabelGate.Apply(results, pendingNodeLabels ?? (() => 0));
        var status = PolicyStatusCalculator.Compute(live, results, policy.Metadata.Generation, now);
        if (UpgradeSettle.Holds(live?.State, status.State, upgradeSettling))
        {
            return ReconcileResult.After(UpgradeSettle.Recheck);
        }

        if (await ReportAsync(policy, live, status, results, get, set, cancellationToken).ConfigureAwait(false) is { } held)
        {
            // Coalesced while converging: the next pass writes whatever is current by then.
            return ReconcileResult.After(held);
        }

        return status.State == SyncStates.Ready
            ? context.SteadyStateResync is { } resync ? ReconcileResult.After(resync) : ReconcileResult.Done
            : ReconcileResult.After(context.Environment.NotReadyRequeue);
    }

    /// <summary>
    /// Reports <paramref name="status"/>. Returns null when it was written (or nothing changed), else how long the
    /// write is held back; the caller requeues after it. Events of a held write wait for it too, since they are
    /// computed against the status on the server.
    /// </summary>
    public async Task<TimeSpan?> ReportAsync<T>(T policy, NicPolicyStatus? previous, NicPolicyStatus status, IReadOnlyList<StateResult> results,
        Func<T, NicPolicyStatus?> get, Action<T, NicPolicyStatus> set, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(results);
        var name = policy.Metadata.Name;
        foreach (var result in results)
        {
            context.Metrics.Component(policy.Kind, name, result.Name, result.State == SyncStates.Ignore ? null : result.IsReady);
        }

        context.Metrics.Resource(policy.Kind, name, status.State == SyncStates.Ready);
        var key = $"{policy.Kind}/{name}";
        var converging = previous is not null && previous.State == SyncStates.NotReady && status.State == SyncStates.NotReady
            && ObservedGeneration(previous) == ObservedGeneration(status);
        if (!StatusWriter.SameJson(get(policy), status) && _coalescer.Hold(key, converging) is { } hold)
        {
            return hold;
        }

        if (await writer.WriteIfChangedAsync(policy, status, get, set, cancellationToken).ConfigureAwait(false))
        {
            _coalescer.Written(key);
            ControllersLog.StatusWritten(_logger, policy.Kind, name, status.State);
        }

        if (context.Events is null)
        {
            return null;
        }

        foreach (var result in results)
        {
            var before = previous?.AppliedStates?.Find(a => a.Name == result.Name);
            if (before?.State == result.State && (result.State != SyncStates.Error || before.Message == result.Message))
            {
                continue;
            }

            if (before is null && result.State == SyncStates.Ignore)
            {
                continue;
            }

            var (type, reason, message) = result.State switch
            {
                SyncStates.Ready => (EventRecorder.Normal, "ComponentReady", $"{result.Name} is ready"),
                SyncStates.Error => (EventRecorder.Warning, "ComponentError", $"{result.Name}: {result.Message}"),
                SyncStates.Ignore => (EventRecorder.Normal, "ComponentRemoved", $"{result.Name} is no longer configured"
                    + (result.Message.Length > 0 ? "; " + result.Message : string.Empty)),
                _ => (EventRecorder.Normal, "ComponentNotReady", $"{result.Name} is not ready yet"),
            };
            await context.Events.RecordAsync(policy, type, reason, StatusMessages.Bound(message), cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    /// <summary>The policy is gone: its write history goes with it.</summary>
    public void Forget(string kind, string name) => _coalescer.Forget($"{kind}/{name}");

    private static long? ObservedGeneration(NicPolicyStatus status) =>
        status.Conditions?.Find(c => c.Type == ConditionTypes.Ready)?.ObservedGeneration;

    /// <summary>
    /// Reports a spec that fails validation: the error status (written when changed) and one Warning Event per new
    /// message, so <c>kubectl describe</c> shows the field path.
    /// </summary>
    public async Task ReportInvalidAsync<T>(T policy, NicPolicyStatus? previous, NicPolicyStatus status,
        Func<T, NicPolicyStatus?> get, Action<T, NicPolicyStatus> set, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(status);
        context.Metrics.Resource(policy.Kind, policy.Metadata.Name, false);
        if (await writer.WriteIfChangedAsync(policy, status, get, set, cancellationToken).ConfigureAwait(false))
        {
            ControllersLog.StatusWritten(_logger, policy.Kind, policy.Metadata.Name, status.State);
        }

        if (context.Events is not null && previous?.Reason != status.Reason)
        {
            await context.Events.RecordAsync(policy, EventRecorder.Warning, Api.Contract.ConditionReasons.InvalidSpec, StatusMessages.Bound(status.Reason), cancellationToken)
                .ConfigureAwait(false);
        }
    }
}
