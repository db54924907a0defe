using System.Diagnostics;
using System.Globalization;
using NetworkOperator.Simulator.Cluster;

namespace NetworkOperator.Tools.Demo;

/// <summary>
/// What the simulated cluster did over a stretch of a run: this process's CPU (the simulator's, the demo's own polling
/// is a sliver of it) and its controllers' work. Printed beside the floor's, it tells cluster work the operator caused
/// apart from the operator's own, which two shared cores otherwise blur into one wall-clock time. The JIT's share of
/// that CPU is given too: a run that meets simulator code the process has not compiled yet pays for it.
/// </summary>
internal readonly record struct ClusterWork(TimeSpan Cpu, long PodsCreated, long Bindings, long StatusWrites, long Events, long DaemonSetSyncs,
    TimeSpan Jit, long JitMethods)
{
    public static ClusterWork Now(SimulatedCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        using var self = Process.GetCurrentProcess();
        var c = cluster.Counters;
        return new(self.TotalProcessorTime, c.PodsCreated, c.Bindings, c.StatusWrites, c.Events, c.DaemonSetSyncs,
            System.Runtime.JitInfo.GetCompilationTime(), System.Runtime.JitInfo.GetCompiledMethodCount());
    }

    public ClusterWork Since(ClusterWork start) => new(Cpu - start.Cpu, PodsCreated - start.PodsCreated, Bindings - start.Bindings,
        StatusWrites - start.StatusWrites, Events - start.Events, DaemonSetSyncs - start.DaemonSetSyncs, Jit - start.Jit, JitMethods - start.JitMethods);

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"CPU {Cpu.TotalSeconds:F1} s, {PodsCreated} pods created, {Bindings} bindings, {StatusWrites} status writes, {Events} events, {DaemonSetSyncs} DaemonSet syncs; JIT {Jit.TotalSeconds:F1} s, {JitMethods} methods compiled");

    /// <summary>A process's CPU so far, or null once it has exited.</summary>
    public static TimeSpan? CpuOf(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        try
        {
            process.Refresh();
            return process.HasExited ? null : process.TotalProcessorTime;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
