using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Controllers.Hosting;
using NetworkOperator.Controllers.Policies;
using NetworkOperator.Rendering.Networks;

namespace NetworkOperator.Controllers.Networks;

/// <summary>HostDeviceNetwork has no last-namespace annotation upstream; the move is found through NAD ownership.</summary>
public sealed class HostDeviceNetworkReconciler(OperatorContext context, ObjectApplier applier, StatusWriter writer)
    : NetworkReconciler<HostDeviceNetwork, HostDeviceNetworkStatus>(context, applier, writer)
{
    private static readonly HostDeviceNetworkRenderer Render = new();

    protected override INetworkRenderer<HostDeviceNetwork> Renderer => Render;

    protected override string? LastNamespaceAnnotation => null;

    protected override HostDeviceNetworkStatus? GetStatus(HostDeviceNetwork network) => network.Status;

    protected override void SetStatus(HostDeviceNetwork network, HostDeviceNetworkStatus status) => network.Status = status;

    protected override HostDeviceNetworkStatus NewStatus(string state, string? link, string? reason) =>
        new() { State = state, HostDeviceNetworkAttachmentDef = link, Reason = reason };
}
