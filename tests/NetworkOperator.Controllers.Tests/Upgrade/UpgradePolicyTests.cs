using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Controllers.Upgrade;

namespace NetworkOperator.Controllers.Tests.Upgrade;

public sealed class UpgradePolicyTests
{
    [Fact]
    public void MissingSpec_IsDisabled()
    {
        Assert.False(UpgradePolicy.From(null).AutoUpgrade);
    }

    [Fact]
    public void Defaults_MatchTheCrd()
    {
        var policy = UpgradePolicy.From(new DriverUpgradePolicySpec { AutoUpgrade = true, Drain = new DrainSpec() });

        Assert.Equal(1, policy.MaxParallelUpgrades);
        Assert.Null(policy.MaxUnavailable);
        Assert.Null(policy.WaitForCompletion);
        Assert.NotNull(policy.Drain);
        Assert.Equal(TimeSpan.FromSeconds(300), policy.Drain.Timeout);
        Assert.False(policy.Drain.Force);
        Assert.False(policy.Drain.DeleteEmptyDir);
        Assert.Equal(Labels.DrainSkipSelector, policy.Drain.PodSelector);
    }

    [Fact]
    public void DrainSelector_GetsTheSkipClauseAppended()
    {
        var policy = UpgradePolicy.From(new DriverUpgradePolicySpec
        {
            AutoUpgrade = true,
            Drain = new DrainSpec { PodSelector = "app=web", Force = true, DeleteEmptyDir = true, TimeoutSeconds = 0 },
            WaitForCompletion = new WaitForCompletionSpec { PodSelector = "job=x", TimeoutSeconds = 30 },
        });

        Assert.Equal("app=web,nvidia.com/ofed-driver-upgrade-drain.skip!=true", policy.Drain!.PodSelector);
        Assert.Equal(TimeSpan.Zero, policy.Drain.Timeout);
        Assert.True(policy.Drain.Force);
        Assert.Equal(new WaitForCompletionOptions("job=x", TimeSpan.FromSeconds(30)), policy.WaitForCompletion);
    }

    [Fact]
    public void DisabledDrain_IsNull()
    {
        Assert.Null(UpgradePolicy.From(new DriverUpgradePolicySpec { AutoUpgrade = true, Drain = new DrainSpec { Enable = false } }).Drain);
    }

    [Fact]
    public void NoDrainSection_MeansNoDrain()
    {
        // Upstream: a nil drain spec skips the drain step.
        Assert.Null(UpgradePolicy.From(new DriverUpgradePolicySpec { AutoUpgrade = true }).Drain);
    }

    [Theory]
    [InlineData(null, 40, 40)]
    [InlineData("5", 40, 5)]
    [InlineData("12%", 40, 5)]
    [InlineData("0%", 40, 0)]
    public void MaxUnavailable_Scales(string? value, int total, int expected)
    {
        Assert.Equal(expected, UpgradeSlots.MaxUnavailable(value, total));
    }

    [Fact]
    public void MaxUnavailable_BadValue_SaysWhy()
    {
        var ex = Assert.Throws<FormatException>(() => UpgradeSlots.MaxUnavailable("abc%", 10));
        Assert.Contains("abc%", ex.Message, StringComparison.Ordinal);
    }
}
