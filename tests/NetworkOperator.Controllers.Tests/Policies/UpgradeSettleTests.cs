using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Controllers.Policies;

namespace NetworkOperator.Controllers.Tests.Policies;

public sealed class UpgradeSettleTests
{
    [Fact]
    public void Only_the_turn_to_ready_waits_for_a_busy_upgrade_controller()
    {
        static bool Busy() => true;
        static bool Idle() => false;

        // Turning ready while the upgrade controller has a pass queued or running: held.
        Assert.True(UpgradeSettle.Holds(SyncStates.NotReady, SyncStates.Ready, Busy));
        Assert.True(UpgradeSettle.Holds(null, SyncStates.Ready, Busy));

        // Idle, already ready (its periodic passes never turn a ready policy back), or not turning ready: not held.
        Assert.False(UpgradeSettle.Holds(SyncStates.NotReady, SyncStates.Ready, Idle));
        Assert.False(UpgradeSettle.Holds(SyncStates.Ready, SyncStates.Ready, Busy));
        Assert.False(UpgradeSettle.Holds(SyncStates.NotReady, SyncStates.NotReady, Busy));
        Assert.False(UpgradeSettle.Holds(SyncStates.NotReady, SyncStates.Ready, null));
    }
}
