namespace NetworkOperator.Simulator.Cluster.DataPlane;

/// <summary>Where an attachment's addresses come from: the pool's identity for uniqueness and its usable range.</summary>
public sealed record IpamPool(string Key, Ipv4Range Range, string? Gateway);
