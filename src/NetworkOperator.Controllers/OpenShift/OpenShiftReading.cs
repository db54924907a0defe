using NetworkOperator.Rendering;

namespace NetworkOperator.Controllers.OpenShift;

/// <summary>
/// The cluster facts with OpenShift's filled in, and how soon to look again when OpenShift has not yet injected the
/// trusted CA bundle the driver needs (null: render now).
/// </summary>
public sealed record OpenShiftReading(ClusterFacts Facts, TimeSpan? WaitForTrustedCa = null);
