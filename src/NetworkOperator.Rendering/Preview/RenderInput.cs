using k8s;
using k8s.Models;
using NetworkOperator.Api.Defaulting;
using NetworkOperator.Api.Serialization;
using NetworkOperator.Api.Validation;
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
    /// <summary>Validation warnings (accepted, but probably not what the user meant), formatted like errors.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Objects of kinds the operator does not own (e.g. nv-ipam's IPPool), left out; one line each.</summary>
    public IReadOnlyList<string> Skipped { get; init; } = [];

    /// <param name="files">Manifests to read.</param>
    /// <param name="nodesFile">Node inventory file, or null.</param>
    /// <param name="cluster">
    /// What a live cluster already holds (its nodes, its stored policies) for the cross-object rules, as the webhook
    /// would see it; stored policies named like one in <paramref name="files"/> are replaced by the file's version.
    /// </param>
    /// <param name="standardInput">What <c>-f -</c> reads; the process's stdin when null.</param>
    public static RenderInput Load(IEnumerable<string> files, string? nodesFile, ValidationContext? cluster = null, Stream? standardInput = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        var reader = new ManifestReader(ReadableKind.Default) { StandardInput = standardInput };
        var read = reader.ReadFiles(files);
        var errors = new List<ManifestError>(read.Errors);
        var resources = new List<IKubernetesObject<V1ObjectMeta>>();
        var configMaps = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var nodes = new List<V1Node>();
        var sources = new List<(IKubernetesObject<V1ObjectMeta> Resource, ManifestObject Source)>();
        var skipped = new List<ManifestError>(read.Skipped);
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
                    var resource = (IKubernetesObject<V1ObjectMeta>)Defaults.ApplyAny(obj.Value);
                    resources.Add(resource);
                    sources.Add((resource, obj));
                    break;
                default:
                    errors.Add(new ManifestError(obj.File, obj.DocumentIndex, obj.ItemIndex, obj.Kind.Kind, null, "kind", obj.Location, $"{obj.Kind.Kind} is not something the operator renders; pass nodes with --nodes"));
                    break;
            }
        }

        if (nodesFile is not null)
        {
            var nodeRead = new ManifestReader([.. ReadableKind.Default.Where(k => k.ClrType == typeof(V1Node))]) { StandardInput = standardInput }.ReadFile(nodesFile);
            errors.AddRange(nodeRead.Errors);
            skipped.AddRange(nodeRead.Skipped);
            nodes.AddRange(nodeRead.Objects.Select(o => o.As<V1Node>()));
        }

        var warnings = Validate(sources, [.. nodes, .. cluster?.Nodes ?? []], cluster ?? ValidationContext.None, errors);
        return new RenderInput(resources, nodes, configMaps, errors) { Warnings = warnings, Skipped = [.. skipped.Select(s => s.ToString())] };
    }

    /// <summary>
    /// The admission rules the API server's webhook would apply, including cross-object ones (a section in both the
    /// NicClusterPolicy and a NicNodePolicy, NicNodePolicies selecting the same node), so the preview never shows
    /// objects for resources the cluster would reject.
    /// </summary>
    private static List<string> Validate(List<(IKubernetesObject<V1ObjectMeta> Resource, ManifestObject Source)> sources, List<V1Node> nodes,
        ValidationContext cluster, List<ManifestError> errors)
    {
        var clusterPolicies = sources.Select(s => s.Resource).OfType<NicClusterPolicy>().ToList();
        var nodePolicies = sources.Select(s => s.Resource).OfType<NicNodePolicy>().ToList();
        var context = new ValidationContext
        {
            ClusterPolicies = [.. clusterPolicies, .. cluster.ClusterPolicies.Where(p => clusterPolicies.All(f => f.Metadata?.Name != p.Metadata?.Name))],
            NodePolicies = [.. nodePolicies, .. cluster.NodePolicies.Where(p => nodePolicies.All(f => f.Metadata?.Name != p.Metadata?.Name))],
            Nodes = nodes,
        };
        var warnings = new List<string>();
        foreach (var (resource, source) in sources)
        {
            var result = ObjectValidator.Validate(resource, context);
            foreach (var error in result.Errors)
            {
                errors.Add(new ManifestError(source.File, source.DocumentIndex, source.ItemIndex, resource.Kind, resource.Metadata?.Name, error.Field,
                    source.LocationOf(error.Field), error.Detail));
            }

            foreach (var warning in result.Warnings)
            {
                warnings.Add(new ManifestError(source.File, source.DocumentIndex, source.ItemIndex, resource.Kind, resource.Metadata?.Name, warning.Field,
                    source.LocationOf(warning.Field), warning.Message).ToString());
            }
        }

        return warnings;
    }
}
