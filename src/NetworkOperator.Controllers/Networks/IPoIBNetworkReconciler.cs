using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Controllers.Hosting;
using NetworkOperator.Controllers.Policies;
using NetworkOperator.Rendering.Networks;

namespace NetworkOperator.Controllers.Networks;

public sealed class IPoIBNetworkReconciler(OperatorContext context, ObjectApplier applier, StatusWriter writer)
    : NetworkReconciler<IPoIBNetwork, IPoIBNetworkStatus>(context, applier, writer)
{
    private static readonly IPoIBNetworkRenderer Render = new();

    protected override INetworkRenderer<IPoIBNetwork> Renderer => Render;

    protected override string? LastNamespaceAnnotation => Annotations.IPoIBLastNetworkNamespace;

    protected override IPoIBNetworkStatus? GetStatus(IPoIBNetwork network) => network.Status;

    protected override void SetStatus(IPoIBNetwork network, IPoIBNetworkStatus status) => network.Status = status;

    protected override IPoIBNetworkStatus NewStatus(string state, string? link, string? reason) =>
        new() { State = state, IpoibNetworkAttachmentDef = link, Reason = reason };
}
