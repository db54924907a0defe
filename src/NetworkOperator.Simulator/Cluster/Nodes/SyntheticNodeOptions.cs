namespace NetworkOperator.Simulator.Cluster.Nodes;

/// <summary>How <see cref="SyntheticNodeGenerator"/> shapes a fleet.</summary>
public sealed class SyntheticNodeOptions
{
    public int Count { get; set; } = 3;

    /// <summary>Node names are the prefix plus a zero-padded index.</summary>
    public string NamePrefix { get; set; } = "node-";

    /// <summary>Share of nodes (0..1) without a Mellanox NIC, so without the <c>pci-15b3.present</c> label.</summary>
    public double CpuOnlyShare { get; set; } = 0.2;

    public IReadOnlyList<NodePool> Pools { get; set; } = NodePool.Defaults;

    public string Cpu { get; set; } = "64";

    public string AllocatableCpu { get; set; } = "63500m";

    public string Memory { get; set; } = "263842296Ki";

    public string AllocatableMemory { get; set; } = "261642296Ki";

    public int MaxPods { get; set; } = 110;

    public string KubeletVersion { get; set; } = "v1.32.4";
}
