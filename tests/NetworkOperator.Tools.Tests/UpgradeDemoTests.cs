using NetworkOperator.Tools.Demo;

namespace NetworkOperator.Tools.Tests;

/// <summary>The workload budget <c>demo --upgrade</c> puts its drains under.</summary>
public sealed class UpgradeDemoTests
{
    [Theory]
    [InlineData(50, 950, 50)]
    [InlineData(1, 950, 1)]
    [InlineData(2, 3, 2)]
    [InlineData(0, 950, 950)] // unlimited: every driver node drains at once, and the budget lets them
    [InlineData(0, 0, 1)]
    public void The_budget_allows_as_many_disruptions_as_nodes_upgraded_at_once(int maxParallelUpgrades, int driverNodes, int maxUnavailable) =>
        Assert.Equal(maxUnavailable, UpgradeDemo.DisruptionBudget(maxParallelUpgrades, driverNodes));
}
