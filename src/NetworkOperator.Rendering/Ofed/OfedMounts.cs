using k8s.Models;
using NetworkOperator.Rendering.Common;

namespace NetworkOperator.Rendering.Ofed;

/// <summary>OS-specific extra mounts of the driver container (docs/rendering.md): CA certificates, package repositories, subscriptions.</summary>
public static class OfedMounts
{
    public const string TrustedCaConfigMap = "ocp-network-operator-trusted-ca";
    public const string TrustedCaKey = "ca-bundle.crt";
    public const string TrustedCaFile = "tls-ca-bundle.pem";

    public sealed record Extra(List<V1VolumeMount> Mounts, List<V1Volume> Volumes);

    public static string CertificateDirectory(string os, string fieldPath) => os switch
    {
        "ubuntu" => "/usr/local/share/ca-certificates",
        "rhcos" or "rhel" => "/etc/pki/ca-trust/extracted/pem",
        "sles" => "/etc/ssl",
        _ => throw new RenderException($"distribution not supported: {os} (certificates can be mounted on ubuntu, rhel, rhcos and sles)", fieldPath),
    };

    public static string RepositoryDirectory(string os, string fieldPath) => os switch
    {
        "ubuntu" => "/etc/apt/sources.list.d",
        "rhcos" or "rhel" => "/etc/yum.repos.d",
        "sles" => "/etc/zypp/repos.d",
        _ => throw new RenderException($"distribution not supported: {os} (repositories can be mounted on ubuntu, rhel, rhcos and sles)", fieldPath),
    };

    /// <summary>Mounts every key of a ConfigMap as a file (sorted by key) under <paramref name="directory"/>.</summary>
    public static void AddConfigMapFiles(Extra extra, string configMap, string directory, IReadOnlyDictionary<string, IReadOnlyList<string>> knownKeys, string ns, string fieldPath, IReadOnlyDictionary<string, string>? rename = null)
    {
        if (!knownKeys.TryGetValue(configMap, out var keys))
        {
            throw new RenderException($"ConfigMap {configMap} not found in namespace {ns}", fieldPath);
        }

        // Each key is projected under its file name (items) and mounted by that name, so a renamed key (the trusted CA
        // bundle) is one file in the volume and in the container alike.
        var items = new List<V1KeyToPath>();
        foreach (var key in keys.Order(StringComparer.Ordinal))
        {
            var file = rename is not null && rename.TryGetValue(key, out var renamed) ? renamed : key;
            extra.Mounts.Add(K8s.Mount(configMap, $"{directory}/{file}", readOnly: true, subPath: file));
            items.Add(new V1KeyToPath { Key = key, Path = file });
        }

        if (!extra.Volumes.Any(v => v.Name == configMap))
        {
            extra.Volumes.Add(new V1Volume { Name = configMap, ConfigMap = new V1ConfigMapVolumeSource { Name = configMap, Items = items } });
        }
    }

    /// <summary>Host subscription files the driver build needs on RHEL (not with CRI-O, which injects them) and SLES.</summary>
    public static void AddSubscriptions(Extra extra, DriverPool pool)
    {
        IEnumerable<(string MountPath, string HostPath, string Type)> entries = pool.OsName switch
        {
            "rhel" when pool.ContainerRuntime != "cri-o" =>
            [
                ("/run/secrets/etc-pki-entitlement", "/etc/pki/entitlement", "Directory"),
                ("/run/secrets/redhat.repo", "/etc/yum.repos.d/redhat.repo", "File"),
                ("/run/secrets/rhsm", "/etc/rhsm", "Directory"),
            ],
            "sles" =>
            [
                ("/etc/SUSEConnect", "/etc/SUSEConnect", "FileOrCreate"),
                ("/etc/zypp/credentials.d", "/etc/zypp/credentials.d", "Directory"),
            ],
            _ => [],
        };
        var index = 0;
        foreach (var (mountPath, hostPath, type) in entries.OrderBy(e => e.MountPath, StringComparer.Ordinal))
        {
            var name = $"subscription-config-{index++}";
            extra.Mounts.Add(K8s.Mount(name, mountPath, readOnly: true));
            extra.Volumes.Add(K8s.HostPath(name, hostPath, type));
        }
    }
}
