using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;

namespace NetworkOperator.Cli.Doctor;

/// <summary>
/// Everything <c>doctor</c> looks at, read once with GET and LIST requests only: the operator's custom resources and
/// CRDs, nodes, namespaces, the workloads and pods of the operator namespace, every pod, Event and
/// NetworkAttachmentDefinition of the cluster, and NFD's NodeFeatureRules. A kind the server does not serve is an empty
/// list; a read the user may not make is recorded in <see cref="Unreadable"/> and the checks go on without it.
/// </summary>
internal sealed class ClusterSnapshot
{
    public const string MellanoxGroup = "mellanox.com";

    public required string OperatorNamespace { get; init; }

    public string? ServerVersion { get; init; }

    /// <summary>False when the NicClusterPolicy kind is not served: the operator's CRDs are not installed.</summary>
    public bool CrdsInstalled { get; init; }

    /// <summary>False when the nodefeaturerules kind of NFD is not served.</summary>
    public bool NodeFeatureRulesServed { get; init; }

    public IReadOnlyList<JsonObject> Crds { get; init; } = [];

    public IReadOnlyList<JsonObject> ClusterPolicies { get; init; } = [];

    public IReadOnlyList<JsonObject> NodePolicies { get; init; } = [];

    /// <summary>MacvlanNetworks, HostDeviceNetworks and IPoIBNetworks.</summary>
    public IReadOnlyList<JsonObject> Networks { get; init; } = [];

    public IReadOnlyList<JsonObject> Nodes { get; init; } = [];

    public IReadOnlyList<JsonObject> Namespaces { get; init; } = [];

    public IReadOnlyList<JsonObject> DaemonSets { get; init; } = [];

    public IReadOnlyList<JsonObject> Deployments { get; init; } = [];

    public IReadOnlyList<JsonObject> ReplicaSets { get; init; } = [];

    public IReadOnlyList<JsonObject> Pods { get; init; } = [];

    public IReadOnlyList<JsonObject> Events { get; init; } = [];

    public IReadOnlyList<JsonObject> NetworkAttachmentDefinitions { get; init; } = [];

    public IReadOnlyList<JsonObject> NodeFeatureRules { get; init; } = [];

    /// <summary>Reads refused by the API server (RBAC): what could not be checked, as "resource: reason".</summary>
    public IReadOnlyList<string> Unreadable { get; init; } = [];

    public static readonly IReadOnlyList<(string Kind, string Plural)> NetworkKinds =
    [
        ("MacvlanNetwork", "macvlannetworks"), ("HostDeviceNetwork", "hostdevicenetworks"), ("IPoIBNetwork", "ipoibnetworks"),
    ];

    public static async Task<ClusterSnapshot> ReadAsync(IKubernetes client, string operatorNamespace, CancellationToken cancellationToken)
    {
        var reader = new Reader(client, cancellationToken);
        var version = await reader.VersionAsync();
        var policies = await reader.ListAsync(MellanoxGroup, "v1alpha1", "nicclusterpolicies", null, "NicClusterPolicy");
        var nodePolicies = await reader.ListAsync(MellanoxGroup, "v1alpha1", "nicnodepolicies", null, "NicNodePolicy");
        var networks = new List<JsonObject>();
        foreach (var (kind, plural) in NetworkKinds)
        {
            networks.AddRange(await reader.ListAsync(MellanoxGroup, "v1alpha1", plural, null, kind) ?? []);
        }

        var crds = await reader.ListAsync("apiextensions.k8s.io", "v1", "customresourcedefinitions", null, "CustomResourceDefinition") ?? [];
        var rules = await reader.ListAsync("nfd.k8s-sigs.io", "v1alpha1", "nodefeaturerules", null, "NodeFeatureRule");
        return new ClusterSnapshot
        {
            OperatorNamespace = operatorNamespace,
            ServerVersion = version,
            CrdsInstalled = policies is not null,
            NodeFeatureRulesServed = rules is not null,
            Crds = [.. crds.Where(c => c["spec"]?["group"]?.GetValue<string>() == MellanoxGroup)],
            ClusterPolicies = policies ?? [],
            NodePolicies = nodePolicies ?? [],
            Networks = networks,
            Nodes = await reader.ListAsync("", "v1", "nodes", null, "Node") ?? [],
            Namespaces = await reader.ListAsync("", "v1", "namespaces", null, "Namespace") ?? [],
            DaemonSets = await reader.ListAsync("apps", "v1", "daemonsets", operatorNamespace, "DaemonSet") ?? [],
            Deployments = await reader.ListAsync("apps", "v1", "deployments", operatorNamespace, "Deployment") ?? [],
            ReplicaSets = await reader.ListAsync("apps", "v1", "replicasets", operatorNamespace, "ReplicaSet") ?? [],
            Pods = await reader.ListAsync("", "v1", "pods", null, "Pod") ?? [],
            Events = await reader.ListAsync("", "v1", "events", null, "Event") ?? [],
            NetworkAttachmentDefinitions = await reader.ListAsync("k8s.cni.cncf.io", "v1", "network-attachment-definitions", null, "NetworkAttachmentDefinition") ?? [],
            NodeFeatureRules = rules ?? [],
            Unreadable = reader.Refused,
        };
    }

    public bool NamespaceExists(string name) =>
        Namespaces.Any(n => n["metadata"]?["name"]?.GetValue<string>() == name) ||
        // Without the right to list namespaces nothing can be said: assume it exists rather than report a false cause.
        Unreadable.Any(u => u.StartsWith("namespaces", StringComparison.Ordinal));

    /// <summary>Reads that turn "not served" into null and "forbidden" into a note, so one refused read does not stop the rest.</summary>
    private sealed class Reader(IKubernetes client, CancellationToken cancellationToken)
    {
        public List<string> Refused { get; } = [];

        public async Task<string?> VersionAsync()
        {
            try
            {
                var info = await client.Version.GetCodeAsync(cancellationToken).ConfigureAwait(false);
                return info.GitVersion;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
            {
                Refused.Add($"version: {(int)ex.Response.StatusCode}");
                return null;
            }
        }

        public async Task<List<JsonObject>?> ListAsync(string group, string version, string plural, string? ns, string kind)
        {
            try
            {
                var list = ns is null
                    ? await client.CustomObjects.ListClusterCustomObjectAsync(group, version, plural, cancellationToken: cancellationToken).ConfigureAwait(false)
                    : await client.CustomObjects.ListNamespacedCustomObjectAsync(group, version, ns, plural, cancellationToken: cancellationToken).ConfigureAwait(false);
                var node = list is JsonElement element ? JsonNode.Parse(element.GetRawText()) : JsonNode.Parse(KubernetesJson.Serialize(list));
                var apiVersion = group.Length == 0 ? version : $"{group}/{version}";
                var items = new List<JsonObject>();
                foreach (var item in node?["items"] as JsonArray ?? [])
                {
                    if (item is JsonObject obj)
                    {
                        // Lists carry no kind per item; the bundle and the messages want it.
                        obj["apiVersion"] ??= apiVersion;
                        obj["kind"] ??= kind;
                        items.Add(obj);
                    }
                }

                return items;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Forbidden)
            {
                var scope = ns is null ? "cluster-wide" : $"in namespace {ns}";
                Refused.Add($"{plural}{(group.Length == 0 ? string.Empty : "." + group)} ({scope}): forbidden");
                return null;
            }
        }
    }
}
