namespace NetworkOperator.Controllers.Preview;

/// <summary>A driver pool the previewed policy would run a driver DaemonSet for, counted on the cluster's real nodes.</summary>
public sealed record PlannedDriverPool(string Source, string DaemonSet, string Os, string Kernel, string Arch, int Nodes);
