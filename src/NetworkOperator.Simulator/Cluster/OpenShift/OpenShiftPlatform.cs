using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;
using NetworkOperator.Simulator.Cluster.Nodes;

namespace NetworkOperator.Simulator.Cluster.OpenShift;

/// <summary>
/// Makes the simulated cluster look like OpenShift to its clients: the config.openshift.io kinds the operator reads
/// (ClusterVersion <c>version</c>, which marks the platform, and the cluster-wide Proxy <c>cluster</c>), the Driver
/// Toolkit ImageStream <c>openshift/driver-toolkit</c> with one tag per RHCOS build, SecurityContextConstraints
/// <c>privileged</c>, and OpenShift's namespaces. Everything is written through the API as a cluster admin, as
/// OpenShift's own operators do at install time.
/// </summary>
public static class OpenShiftPlatform
{
    public const string ClusterVersionName = "version";
    public const string ProxyName = "cluster";
    public const string ToolkitNamespace = "openshift";
    public const string ToolkitImageStream = "driver-toolkit";
    public const string ConfigNamespace = "openshift-config";
    public const string ConfigManagedNamespace = "openshift-config-managed";
    public const string Version = "4.17.3";

    /// <summary>The kinds OpenShift adds that the operator touches: (group, plural, kind, list kind, scope, short names).</summary>
    private static readonly (string Group, string Plural, string Kind, string Scope, string[] ShortNames)[] Kinds =
    [
        ("config.openshift.io", "clusterversions", "ClusterVersion", "Cluster", []),
        ("config.openshift.io", "proxies", "Proxy", "Cluster", []),
        ("image.openshift.io", "imagestreams", "ImageStream", "Namespaced", ["is"]),
        ("security.openshift.io", "securitycontextconstraints", "SecurityContextConstraints", "Cluster", ["scc"]),
    ];

    /// <summary>Installs the kinds and the platform's objects; <paramref name="nodes"/> add their RHCOS builds to the toolkit tags.</summary>
    public static async Task InstallAsync(IKubernetes admin, IEnumerable<V1Node> nodes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(nodes);
        foreach (var kind in Kinds)
        {
            await admin.ApiextensionsV1.CreateCustomResourceDefinitionAsync(Definition(kind.Group, kind.Plural, kind.Kind, kind.Scope, kind.ShortNames),
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        foreach (var kind in Kinds)
        {
            await EstablishedAsync(admin, $"{kind.Plural}.{kind.Group}", cancellationToken).ConfigureAwait(false);
        }

        foreach (var ns in new[] { ToolkitNamespace, ConfigNamespace, ConfigManagedNamespace })
        {
            await admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } }, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }

        await admin.CustomObjects.CreateClusterCustomObjectAsync(new Dictionary<string, object>
        {
            ["apiVersion"] = "config.openshift.io/v1",
            ["kind"] = "ClusterVersion",
            ["metadata"] = new Dictionary<string, object> { ["name"] = ClusterVersionName },
            ["spec"] = new Dictionary<string, object> { ["clusterID"] = "6f0b3c2e-1d4a-4f7e-9a51-3c2b8e7d9f10", ["channel"] = "stable-4.17" },
        }, "config.openshift.io", "v1", "clusterversions", cancellationToken: cancellationToken).ConfigureAwait(false);

        // OpenShift always has this object; an empty spec means "no proxy" until an admin configures one.
        await admin.CustomObjects.CreateClusterCustomObjectAsync(new Dictionary<string, object>
        {
            ["apiVersion"] = "config.openshift.io/v1",
            ["kind"] = "Proxy",
            ["metadata"] = new Dictionary<string, object> { ["name"] = ProxyName },
            ["spec"] = new Dictionary<string, object> { ["trustedCA"] = new Dictionary<string, object> { ["name"] = string.Empty } },
        }, "config.openshift.io", "v1", "proxies", cancellationToken: cancellationToken).ConfigureAwait(false);

        var builds = NodePool.OpenShift.Select(p => p.OsTreeVersion!)
            .Concat(nodes.Select(n => n.Metadata?.Labels?.TryGetValue(NodeLabels.OsTreeVersion, out var v) == true ? v : null).OfType<string>())
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        await admin.CustomObjects.CreateNamespacedCustomObjectAsync(new Dictionary<string, object>
        {
            ["apiVersion"] = "image.openshift.io/v1",
            ["kind"] = "ImageStream",
            ["metadata"] = new Dictionary<string, object> { ["name"] = ToolkitImageStream, ["namespace"] = ToolkitNamespace },
            ["spec"] = new Dictionary<string, object>
            {
                ["tags"] = builds.Append("latest").Select(b => (object)new Dictionary<string, object>
                {
                    ["name"] = b,
                    ["from"] = new Dictionary<string, object> { ["kind"] = "DockerImage", ["name"] = ToolkitImage(b == "latest" ? builds[^1] : b) },
                }).ToList(),
            },
        }, "image.openshift.io", "v1", ToolkitNamespace, "imagestreams", cancellationToken: cancellationToken).ConfigureAwait(false);

        await admin.CustomObjects.CreateClusterCustomObjectAsync(new Dictionary<string, object>
        {
            ["apiVersion"] = "security.openshift.io/v1",
            ["kind"] = "SecurityContextConstraints",
            ["metadata"] = new Dictionary<string, object> { ["name"] = "privileged" },
            ["allowPrivilegedContainer"] = true,
            ["allowHostNetwork"] = true,
            ["allowHostDirVolumePlugin"] = true,
            ["allowHostPID"] = true,
            ["allowHostIPC"] = true,
            ["allowHostPorts"] = true,
            ["runAsUser"] = new Dictionary<string, object> { ["type"] = "RunAsAny" },
            ["seLinuxContext"] = new Dictionary<string, object> { ["type"] = "RunAsAny" },
            ["volumes"] = new List<object> { "*" },
        }, "security.openshift.io", "v1", "securitycontextconstraints", cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The Driver Toolkit image of an RHCOS build: a release image by digest, stable per build.</summary>
    public static string ToolkitImage(string osTreeVersion) =>
        "quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("driver-toolkit " + osTreeVersion)));

    private static V1CustomResourceDefinition Definition(string group, string plural, string kind, string scope, string[] shortNames) => new()
    {
        ApiVersion = "apiextensions.k8s.io/v1",
        Kind = "CustomResourceDefinition",
        Metadata = new V1ObjectMeta { Name = $"{plural}.{group}" },
        Spec = new V1CustomResourceDefinitionSpec
        {
            Group = group,
            Scope = scope,
            Names = new V1CustomResourceDefinitionNames
            {
                Plural = plural,
                Singular = kind.ToLower(CultureInfo.InvariantCulture),
                Kind = kind,
                ListKind = kind + "List",
                ShortNames = shortNames.Length == 0 ? null : shortNames,
            },
            Versions =
            [
                new V1CustomResourceDefinitionVersion
                {
                    Name = "v1",
                    Served = true,
                    Storage = true,
                    Subresources = kind is "ClusterVersion" or "Proxy" ? new V1CustomResourceSubresources { Status = new object() } : null,
                    Schema = new V1CustomResourceValidation
                    {
                        OpenAPIV3Schema = new V1JSONSchemaProps { Type = "object", XKubernetesPreserveUnknownFields = true },
                    },
                },
            ],
        },
    };

    private static async Task EstablishedAsync(IKubernetes admin, string name, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var crd = await admin.ApiextensionsV1.ReadCustomResourceDefinitionAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (crd.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true)
                {
                    return;
                }
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
            {
            }

            if (attempt >= 3000)
            {
                throw new InvalidOperationException($"CustomResourceDefinition {name} did not become Established");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken).ConfigureAwait(false);
        }
    }
}
