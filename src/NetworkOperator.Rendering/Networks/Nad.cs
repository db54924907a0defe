using k8s.Models;
using NetworkOperator.Api.Cni;
using NetworkOperator.Rendering.Common;

namespace NetworkOperator.Rendering.Networks;

/// <summary>The NetworkAttachmentDefinition shell shared by the three network renderers.</summary>
public static class Nad
{
    public const string DefaultNamespace = "default";

    /// <summary>
    /// Empty <c>networkNamespace</c> means <c>default</c> for every kind. Upstream leaves HostDeviceNetwork without a
    /// default (its NAD then cannot be created); we apply the same default as the other two kinds.
    /// </summary>
    public static string Namespace(string? networkNamespace) => string.IsNullOrEmpty(networkNamespace) ? DefaultNamespace : networkNamespace;

    public static RenderResult Finish(string state, string name, string? networkNamespace, string config, IDictionary<string, string>? annotations = null)
    {
        var nad = new NetworkAttachmentDefinition
        {
            Metadata = K8s.Meta(name, Namespace(networkNamespace), annotations: annotations),
            Spec = new NetworkAttachmentDefinitionSpec { Config = config },
        };
        return StateObjects.Finish(state, [nad]);
    }

    public static string NameOf(V1ObjectMeta? metadata) =>
        metadata?.Name is { Length: > 0 } name ? name : throw new RenderException("a network needs a name", "metadata.name");
}
