namespace NetworkOperator.Rendering.Networks;

/// <summary>Turns one network custom resource into its NetworkAttachmentDefinition (one object, labelled and stamped).</summary>
public interface INetworkRenderer<in TNetwork>
{
    /// <summary>The state name: the NAD's state label and the network's <c>appliedStates</c> entry.</summary>
    string StateName { get; }

    /// <summary>Throws <see cref="RenderException"/> when <c>ipam</c> or <c>metaPlugins</c> is not valid JSON.</summary>
    RenderResult Render(TNetwork network, ClusterFacts facts);
}
