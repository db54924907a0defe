using k8s.Models;

namespace NetworkOperator.Api.V1Alpha1;

/// <summary>What the three network kinds' statuses share; each adds its own link to the NetworkAttachmentDefinition.</summary>
public interface INetworkStatus
{
    string? State { get; set; }

    string? Reason { get; set; }

    List<V1Condition>? Conditions { get; set; }
}
