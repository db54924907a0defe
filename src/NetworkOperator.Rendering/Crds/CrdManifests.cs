using System.Collections.Concurrent;
using k8s;
using k8s.Models;

namespace NetworkOperator.Rendering.Crds;

/// <summary>
/// CRDs that component states install (nv-ipam pools, NIC configuration, Spectrum-X rail pools, whereabouts). They
/// live as YAML resources beside this file; each call returns a fresh copy because rendering mutates labels.
/// </summary>
public static class CrdManifests
{
    private static readonly ConcurrentDictionary<string, string> Texts = new(StringComparer.Ordinal);

    public static V1CustomResourceDefinition Load(string fileName)
    {
        var text = Texts.GetOrAdd(fileName, static name =>
        {
            var resource = $"{typeof(CrdManifests).Namespace}.{name}";
            using var stream = typeof(CrdManifests).Assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"embedded CRD {resource} is missing");
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        });
        return KubernetesYaml.Deserialize<V1CustomResourceDefinition>(text);
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
