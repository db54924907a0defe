using NetworkOperator.Tools.Demo;

namespace NetworkOperator.Tools.Tests;

/// <summary>The arithmetic and the lines of <c>demo --upgrade --exit-when-done --floor</c>, on given figures (no run).</summary>
public sealed class UpgradeFloorReportTests
{
    [Theory]
    [InlineData(950, 50, 19)]
    [InlineData(951, 50, 20)]
    [InlineData(49, 50, 1)]
    [InlineData(50, 50, 1)]
    [InlineData(7, 1, 7)]
    [InlineData(950, 0, 1)] // 0 is unlimited: every node in one wave
    [InlineData(0, 50, 0)]
    public void Waves_are_the_upgraded_nodes_over_max_parallel_rounded_up(int upgraded, int maxParallel, int waves)
    {
        var report = new UpgradeFloorReport(TimeSpan.FromSeconds(2), upgraded, maxParallel, TimeSpan.FromSeconds(60));
        Assert.Equal(waves, report.Waves);
        Assert.Equal(TimeSpan.FromSeconds(2 * waves), report.Floor);
    }

    [Fact]
    public void Prints_the_floor_the_time_and_their_ratio()
    {
        var output = new StringWriter();
        new UpgradeFloorReport(TimeSpan.FromMilliseconds(1_300), 950, 50, TimeSpan.FromSeconds(49.4)).Print(output);

        Assert.Equal(
            ["upgrade floor: one node 1.30 s × 19 waves = 24.7 s", "upgrade time: 49.4 s", "upgrade time ratio: 2.00"],
            output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void With_the_fleets_CPU_it_prints_the_bound_that_CPU_sets_on_this_machine()
    {
        var output = new StringWriter();
        var report = new UpgradeFloorReport(TimeSpan.FromMilliseconds(100), 950, 50, TimeSpan.FromSeconds(16))
        {
            FleetCpu = (TimeSpan.FromSeconds(23.3), TimeSpan.FromSeconds(7.3)),
            Cores = 2,
        };
        report.Print(output);

        Assert.Equal(TimeSpan.FromSeconds(15.3), report.CpuBound);
        Assert.Equal("upgrade CPU bound: 30.6 s of CPU (simulated cluster 23.3 s, operator 7.3 s) over 2 cores = 15.3 s, 8.05 × the floor",
            output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.Null(new UpgradeFloorReport(TimeSpan.FromSeconds(1), 1, 1, TimeSpan.FromSeconds(1)).CpuBound);
    }

    [Fact]
    public void One_node_is_the_median_of_the_nodes_upgraded_one_at_a_time()
    {
        static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);
        Assert.Equal(S(1.4), UpgradeFloorReport.OneNodeOf([S(2.7), S(0.4), S(1.4), S(1.5), S(0.3)]));
        Assert.Equal(S(1.0), UpgradeFloorReport.OneNodeOf([S(1.5), S(0.5)]));
        Assert.Equal(S(0.9), UpgradeFloorReport.OneNodeOf([S(0.9)]));
        Assert.Equal(TimeSpan.Zero, UpgradeFloorReport.OneNodeOf([]));
    }

    [Fact]
    public void No_ratio_without_a_floor()
    {
        var output = new StringWriter();
        new UpgradeFloorReport(TimeSpan.FromSeconds(1), 0, 50, TimeSpan.Zero).Print(output);

        Assert.Contains("upgrade time ratio: n/a", output.ToString(), StringComparison.Ordinal);
    }
}
