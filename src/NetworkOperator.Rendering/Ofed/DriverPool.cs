using NetworkOperator.Rendering.Common;

namespace NetworkOperator.Rendering.Ofed;

/// <summary>
/// NIC nodes that share OS id, OS version and full kernel string (and CPU architecture, see <see cref="NodePools"/>):
/// they all run one driver DaemonSet.
/// </summary>
public sealed record DriverPool(
    string OsName,
    string OsVersion,
    string Kernel,
    string Arch,
    string? OsTreeVersion,
    string ContainerRuntime,
    IReadOnlyList<string> NodeNames)
{
    public string KernelHash => ShortHash.Compute(Kernel);

    /// <summary>Set when the cluster mixes architectures on this OS/kernel, so the pool is split per architecture.</summary>
    public bool ArchSplit { get; init; }

    /// <summary>The DaemonSet base name <c>mofed-&lt;os&gt;&lt;ver&gt;-&lt;kernelHash&gt;</c> (plus <c>-&lt;arch&gt;</c> for split pools).</summary>
    public string BaseName => ArchSplit ? $"mofed-{OsName}{OsVersion}-{KernelHash}-{Arch}" : $"mofed-{OsName}{OsVersion}-{KernelHash}";
}
