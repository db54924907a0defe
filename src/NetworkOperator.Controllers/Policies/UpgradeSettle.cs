namespace NetworkOperator.Controllers.Policies;

/// <summary>
/// Holds a policy's first <c>ready</c> back while the driver upgrade controller still has a pass queued or running.
/// That controller writes <c>status.upgrade</c> once the nodes it counts settle (at install, after the wait-label
/// controller marks them <c>upgrade-done</c>), and a policy declared ready just before that write was followed by it:
/// a write after Ready. Only the turn to ready waits (a pass later, <see cref="Recheck"/>); a ready policy is never
/// turned back by it, so the upgrade's periodic passes cost no status writes.
/// </summary>
public static class UpgradeSettle
{
    /// <summary>How soon a held policy looks again (the upgrade controller's idle passes are 100 ms apart at 1,000 nodes, up to 1 s on large clusters).</summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromMilliseconds(100);

    /// <summary>True when the computed status would turn the policy ready now while the upgrade controller is still busy.</summary>
    public static bool Holds(string? liveState, string? computedState, Func<bool>? upgradeSettling) =>
        computedState == Api.V1Alpha1.SyncStates.Ready && liveState != Api.V1Alpha1.SyncStates.Ready && upgradeSettling?.Invoke() == true;
}
