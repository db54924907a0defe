using k8s;
using k8s.Models;
using NetworkOperator.Api.Defaulting;
using NetworkOperator.Api.Serialization;
using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Rendering.Preview;

/// <summary>
/// What an offline render reads: custom resources (with CRD defaults applied, as the API server would), ConfigMaps the
/// driver mounts key by key, and the node inventory. Errors name the file, document, object and field path.
/// </summary>
public sealed record RenderInput(
    IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Resources,
    IReadOnlyList<V1Node> Nodes,
    IReadOnlyDictionary<string, IReadOnlyList<string>> ConfigMapKeys,
    IReadOnlyList<ManifestError> Errors)
{
    private static readonly IReadOnlyList<ReadableKind> ResourceKinds =
    [
        .. ReadableKind.Default,
        new ReadableKind(V1ConfigMap.KubeApiVersion, V1ConfigMap.KubeKind, typeof(V1ConfigMap), Strict: false),
    ];

    public static RenderInput Load(IEnumerable<string> files, string? nodesFile)
    {
        ArgumentNullException.ThrowIfNull(files);
        var reader = new ManifestReader(ResourceKinds);
        var read = reader.ReadFiles(files);
        var errors = new List<ManifestError>(read.Errors);
        var resources = new List<IKubernetesObject<V1ObjectMeta>>();
        var configMaps = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var nodes = new List<V1Node>();
        foreach (var obj in read.Objects)
        {
            switch (obj.Value)
            {
                case V1ConfigMap configMap:
                    configMaps[configMap.Metadata?.Name ?? string.Empty] = [.. (configMap.Data?.Keys ?? []).Concat(configMap.BinaryData?.Keys ?? [])];
                    break;
                case V1Node node:
                    nodes.Add(node);
                    break;
                case NicClusterPolicy or NicNodePolicy or MacvlanNetwork or HostDeviceNetwork or IPoIBNetwork:
                    resources.Add((IKubernetesObject<V1ObjectMeta>)Defaults.ApplyAny(obj.Value));
                    break;
                default:
                    errors.Add(new ManifestError(obj.File, obj.DocumentIndex, obj.ItemIndex, obj.Kind.Kind, null, "kind", obj.Location, $"{obj.Kind.Kind} is not something the operator renders; pass nodes with --nodes"));
                    break;
            }
        }

        if (nodesFile is not null)
        {
            var nodeRead = new ManifestReader([.. ReadableKind.Default.Where(k => k.ClrType == typeof(V1Node))]).ReadFile(nodesFile);
            errors.AddRange(nodeRead.Errors);
            nodes.AddRange(nodeRead.Objects.Select(o => o.As<V1Node>()));
        }

        return new RenderInput(resources, nodes, configMaps, errors);
    }
}
