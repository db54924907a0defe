using NetworkOperator.Controllers.Upgrade;

namespace NetworkOperator.Controllers.Tests.Upgrade;

/// <summary>An upgrade stall is logged when it begins and when its reason changes beyond its counts, once per policy.</summary>
public sealed class StallNoticesTests
{
    private static string Unscheduled(int found) => $"driver DaemonSet ns/mofed-ds should not have unscheduled pods (desired 4, found {found})";

    [Fact]
    public void The_same_stall_with_moving_counts_is_news_once()
    {
        var notices = new StallNotices();
        Assert.True(notices.IsNews("NicClusterPolicy/nic-cluster-policy", Unscheduled(1)));
        Assert.False(notices.IsNews("NicClusterPolicy/nic-cluster-policy", Unscheduled(2)));
        Assert.False(notices.IsNews("NicClusterPolicy/nic-cluster-policy", Unscheduled(3)));
    }

    [Fact]
    public void Another_reason_another_policy_and_a_stall_after_a_clear_pass_are_news()
    {
        var notices = new StallNotices();
        Assert.True(notices.IsNews("NicClusterPolicy/nic-cluster-policy", Unscheduled(1)));
        Assert.True(notices.IsNews("NicNodePolicy/gpu-nodes", Unscheduled(1)));
        Assert.True(notices.IsNews("NicClusterPolicy/nic-cluster-policy", "driver DaemonSet ns/mofed-ds has no controller revision"));

        // A pass without a stall ends it: the same stall later is news again, and a clear pass itself logs nothing.
        Assert.False(notices.IsNews("NicClusterPolicy/nic-cluster-policy", null));
        Assert.True(notices.IsNews("NicClusterPolicy/nic-cluster-policy", "driver DaemonSet ns/mofed-ds has no controller revision"));
    }
}
