using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Controllers.Hosting;
using NetworkOperator.Controllers.Policies;
using NetworkOperator.Rendering.Networks;

namespace NetworkOperator.Controllers.Networks;

public sealed class MacvlanNetworkReconciler(OperatorContext context, ObjectApplier applier, StatusWriter writer)
    : NetworkReconciler<MacvlanNetwork, MacvlanNetworkStatus>(context, applier, writer)
{
    private static readonly MacvlanNetworkRenderer Render = new();

    protected override INetworkRenderer<MacvlanNetwork> Renderer => Render;

    protected override string? LastNamespaceAnnotation => Annotations.MacvlanLastNetworkNamespace;

    protected override MacvlanNetworkStatus? GetStatus(MacvlanNetwork network) => network.Status;

    protected override void SetStatus(MacvlanNetwork network, MacvlanNetworkStatus status) => network.Status = status;

    protected override MacvlanNetworkStatus NewStatus(string state, string? link, string? reason) =>
        new() { State = state, MacvlanNetworkAttachmentDef = link, Reason = reason };
}
