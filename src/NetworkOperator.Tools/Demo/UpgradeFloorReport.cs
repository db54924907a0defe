using System.Globalization;

namespace NetworkOperator.Tools.Demo;

/// <summary>
/// A fleet upgrade beside its floor: at best every wave of <c>maxParallelUpgrades</c> nodes takes as long as one node
/// upgraded alone, so the floor is the number of waves times that one node's time.
/// </summary>
/// <param name="OneNode">One node's upgrade alone (<see cref="OneNodeOf"/>): to that node <c>upgrade-done</c> on a ready new driver pod.</param>
/// <param name="Upgraded">Nodes the fleet upgrade went through.</param>
/// <param name="MaxParallelUpgrades">The fleet's <c>maxParallelUpgrades</c>; 0 is unlimited (one wave).</param>
/// <param name="Fleet">The fleet upgrade's time, on the same clock as <paramref name="OneNode"/>.</param>
internal sealed record UpgradeFloorReport(TimeSpan OneNode, int Upgraded, int MaxParallelUpgrades, TimeSpan Fleet)
{
    /// <summary>Nodes the floor's run upgrades one at a time; their median is the one node's time.</summary>
    public const int NodesTimed = 5;

    /// <summary>
    /// The median of nodes upgraded one at a time: one sample swings with whether that node had workload pods to evict
    /// and with what else the machine ran at that moment.
    /// </summary>
    public static TimeSpan OneNodeOf(IReadOnlyList<TimeSpan> times)
    {
        ArgumentNullException.ThrowIfNull(times);
        if (times.Count == 0)
        {
            return TimeSpan.Zero;
        }

        var sorted = times.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public int Waves => Upgraded <= 0 ? 0 : MaxParallelUpgrades <= 0 ? 1 : (Upgraded + MaxParallelUpgrades - 1) / MaxParallelUpgrades;

    public TimeSpan Floor => OneNode * Waves;

    /// <summary>
    /// CPU the fleet upgrade took, simulated cluster and operator together (the demo process and the operator process);
    /// null when not measured.
    /// </summary>
    public (TimeSpan Cluster, TimeSpan Operator)? FleetCpu { get; init; }

    /// <summary>Cores the machine offers both processes.</summary>
    public int Cores { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// The shortest the fleet upgrade could take on this machine with the CPU it took: everything spread evenly over
    /// every core. The floor assumes a wave costs what one node alone does in wall time, which holds only while the
    /// cores have room; once the fleet's work fills them, this bound is the one that binds.
    /// </summary>
    public TimeSpan? CpuBound => FleetCpu is { } cpu && Cores > 0 ? (cpu.Cluster + cpu.Operator) / Cores : null;

    public void Print(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);

        // Each figure is rounded once for printing, from the exact values, so the product may differ in the last digit.
        output.WriteLine(Invariant($"upgrade floor: one node {OneNode.TotalSeconds:F2} s × {Waves} waves = {Floor.TotalSeconds:F1} s"));
        output.WriteLine(Invariant($"upgrade time: {Fleet.TotalSeconds:F1} s"));
        output.WriteLine(Invariant($"upgrade time ratio: {Ratio()}"));
        if (FleetCpu is { } cpu && CpuBound is { } bound)
        {
            var ofFloor = Floor <= TimeSpan.Zero ? "n/a" : (bound / Floor).ToString("F2", CultureInfo.InvariantCulture);
            output.WriteLine(Invariant(
                $"upgrade CPU bound: {(cpu.Cluster + cpu.Operator).TotalSeconds:F1} s of CPU (simulated cluster {cpu.Cluster.TotalSeconds:F1} s, operator {cpu.Operator.TotalSeconds:F1} s) over {Cores} cores = {bound.TotalSeconds:F1} s, {ofFloor} × the floor"));
        }
    }

    private string Ratio() => Floor <= TimeSpan.Zero ? "n/a" : (Fleet / Floor).ToString("F2", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
