using NetworkOperator.Api.Contract;
using NetworkOperator.Controllers.NodeLabels;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Controllers.Policies;

namespace NetworkOperator.Controllers.Tests.NodeLabels;

public sealed class NodeLabelGateTests
{
    [Fact]
    public void Pending_wait_labels_keep_the_driver_state_not_ready_and_name_the_node_count()
    {
        List<StateResult> results = [StateResult.Ready(StateNames.MultusCni), StateResult.Ready(StateNames.Ofed), StateResult.Ready(StateNames.RdmaDevicePlugin)];

        var gated = NodeLabelGate.Apply(results, 37);

        Assert.Equal([SyncStates.Ready, SyncStates.NotReady, SyncStates.Ready], gated.Select(r => r.State));
        Assert.Contains("37 node(s)", gated[1].Message, StringComparison.Ordinal);
        Assert.Same(results, NodeLabelGate.Apply(results, 0));
    }

    [Fact]
    public void Without_a_driver_state_the_first_ready_state_carries_the_wait_and_nothing_ready_stays_as_it_is()
    {
        List<StateResult> noDriver = [StateResult.NotReady(StateNames.MultusCni, "pods pending"), StateResult.Ready(StateNames.RdmaDevicePlugin)];
        Assert.Equal([SyncStates.NotReady, SyncStates.NotReady], NodeLabelGate.Apply(noDriver, 2).Select(r => r.State));
        Assert.Equal("pods pending", NodeLabelGate.Apply(noDriver, 2)[0].Message);

        List<StateResult> noneReady = [StateResult.Error(StateNames.Ofed, "bad")];
        Assert.Equal(noneReady, NodeLabelGate.Apply(noneReady, 5));
    }

    [Fact]
    public void The_pending_nodes_are_counted_only_when_a_state_is_ready_to_be_gated()
    {
        var counted = 0;
        int Count()
        {
            counted++;
            return 3;
        }

        List<StateResult> noneReady = [StateResult.NotReady(StateNames.Ofed, "pods pending"), StateResult.Error(StateNames.MultusCni, "bad")];
        Assert.Same(noneReady, NodeLabelGate.Apply(noneReady, Count));
        Assert.Equal(0, counted);

        List<StateResult> driverReady = [StateResult.Ready(StateNames.Ofed)];
        Assert.Contains("3 node(s)", NodeLabelGate.Apply(driverReady, Count)[0].Message, StringComparison.Ordinal);
        Assert.Equal(1, counted);
    }
}
