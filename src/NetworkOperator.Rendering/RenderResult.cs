using k8s;
using k8s.Models;
using NetworkOperator.Rendering.Ofed;

namespace NetworkOperator.Rendering;

/// <summary>What one state rendered.</summary>
public sealed record RenderResult(string State, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Objects)
{
    /// <summary>Driver pools the OFED state rendered a DaemonSet for (empty for other states).</summary>
    public IReadOnlyList<DriverPool> DriverPools { get; init; } = [];

    /// <summary>Things the user should know that do not stop rendering (nodes skipped, a feature unavailable...).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The value of <c>ds-owner</c> on the objects, for states that carry one.</summary>
    public string? DsOwner { get; init; }
}
