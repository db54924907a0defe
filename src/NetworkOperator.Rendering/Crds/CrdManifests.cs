using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using NetworkOperator.Api.Serialization;

namespace NetworkOperator.Rendering.Crds;

/// <summary>
/// CRDs that component states install (nv-ipam pools, NIC configuration, Spectrum-X rail pools, whereabouts). They
/// live as YAML resources beside this file; each call returns a fresh copy because rendering mutates labels.
/// </summary>
public static class CrdManifests
{
    // Parsed once, kept as JSON: states render these on every reconcile, and KubernetesClient's YAML deserializer
    // builds a static attribute map of every model property (tens of thousands of entries, megabytes held for the
    // process's life) the first time it is used. Our own YAML reader plus the JSON deserializer avoid both.
    private static readonly ConcurrentDictionary<string, string> Json = new(StringComparer.Ordinal);

    public static V1CustomResourceDefinition Load(string fileName)
    {
        var json = Json.GetOrAdd(fileName, static name =>
        {
            var resource = $"{typeof(CrdManifests).Namespace}.{name}";
            using var stream = typeof(CrdManifests).Assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"embedded CRD {resource} is missing");
            using var reader = new StreamReader(stream);
            var root = YamlJson.ParseDocuments(reader.ReadToEnd()).Single().Root
                ?? throw new InvalidOperationException($"embedded CRD {resource} is empty");
            return root.ToJsonString();
        });
        return KubernetesJson.Deserialize<V1CustomResourceDefinition>(json);
    }

    public static IReadOnlyList<string> All { get; } =
    [
        "ippools.nv-ipam.nvidia.com.yaml",
        "cidrpools.nv-ipam.nvidia.com.yaml",
        "configuration.net.nvidia.com_nicconfigurationtemplates.yaml",
        "configuration.net.nvidia.com_nicdevices.yaml",
        "configuration.net.nvidia.com_nicfirmwaresources.yaml",
        "configuration.net.nvidia.com_nicfirmwaretemplates.yaml",
        "configuration.net.nvidia.com_nicinterfacenametemplates.yaml",
        "spectrumx.nvidia.com_spectrumxrailpoolconfigs.yaml",
        "whereabouts.cni.cncf.io_ippools.yaml",
        "whereabouts.cni.cncf.io_nodeslicepools.yaml",
        "whereabouts.cni.cncf.io_overlappingrangeipreservations.yaml",
    ];
}
