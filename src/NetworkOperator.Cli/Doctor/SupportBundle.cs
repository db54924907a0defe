using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;

namespace NetworkOperator.Cli.Doctor;

/// <summary>
/// <c>doctor --bundle FILE.tar.gz</c>: what support needs to see, in a fixed layout (docs/troubleshooting.md). Built from
/// the same read-only snapshot as the diagnosis plus <c>pods/log</c> of the operator namespace's pods. Secrets are never
/// requested, so no Secret data can be in it; <c>metadata.managedFields</c> is dropped as noise.
/// </summary>
internal static class SupportBundle
{
    public const string Root = "network-operator-bundle";

    /// <summary>Lines kept from the end of each container's log.</summary>
    public const int LogTailLines = 10000;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly HashSet<string> OwnKinds = new(StringComparer.Ordinal)
    {
        "NicClusterPolicy", "NicNodePolicy", "MacvlanNetwork", "HostDeviceNetwork", "IPoIBNetwork", "Node",
    };

    public static async Task<IReadOnlyList<string>> WriteAsync(IKubernetes client, DoctorReport report, string path, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var s = report.Snapshot;
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["README.txt"] = Encoding.UTF8.GetBytes(Readme(s, now)),
            ["doctor.json"] = Encoding.UTF8.GetBytes(report.ToJsonText()),
            ["version.json"] = JsonFile(new JsonObject
            {
                ["server"] = s.ServerVersion,
                ["operatorCli"] = CliApplication.Version,
                ["operatorImages"] = new JsonArray([.. s.Deployments
                    .SelectMany(d => d.Arr("spec", "template", "spec", "containers"))
                    .Where(c => c.Str("name") == "network-operator")
                    .Select(c => (JsonNode)(c.Str("image") ?? string.Empty))]),
                ["crds"] = new JsonArray([.. s.Crds.OrderBy(c => c.Name(), StringComparer.Ordinal).Select(c => (JsonNode)new JsonObject
                {
                    ["name"] = c.Name(),
                    ["versions"] = new JsonArray([.. c.Arr("spec", "versions").Select(v => (JsonNode)(v.Str("name") ?? string.Empty))]),
                    ["storedVersions"] = c["status"]?["storedVersions"]?.DeepClone(),
                    ["revision"] = c.Str("metadata", "annotations", "nvidia.network-operator.revision"),
                })]),
            }),
            ["cluster/nodes.json"] = ListFile(s.Nodes),
            ["cluster/namespaces.json"] = ListFile(s.Namespaces),
            ["cluster/nodefeaturerules.json"] = ListFile(s.NodeFeatureRules),
            ["crds.json"] = ListFile(s.Crds),
            ["policies/nicclusterpolicies.json"] = ListFile(s.ClusterPolicies),
            ["policies/nicnodepolicies.json"] = ListFile(s.NodePolicies),
            ["networks/networks.json"] = ListFile(s.Networks),
            ["networks/network-attachment-definitions.json"] = ListFile(s.NetworkAttachmentDefinitions),
            ["operator-namespace/daemonsets.json"] = ListFile(s.DaemonSets),
            ["operator-namespace/deployments.json"] = ListFile(s.Deployments),
            ["operator-namespace/replicasets.json"] = ListFile(s.ReplicaSets),
            ["operator-namespace/pods.json"] = ListFile(s.Pods.Where(p => p.Namespace() == s.OperatorNamespace)),
            ["events.json"] = ListFile(s.Events.Where(e => e.Namespace() == s.OperatorNamespace ||
                                                           OwnKinds.Contains(e.Str("involvedObject", "kind") ?? string.Empty) ||
                                                           NetworkPod(s, e))),
        };

        var notes = new List<string>();
        foreach (var pod in s.Pods.Where(p => p.Namespace() == s.OperatorNamespace).OrderBy(p => p.Name(), StringComparer.Ordinal))
        {
            foreach (var container in pod.Arr("spec", "initContainers").Concat(pod.Arr("spec", "containers")))
            {
                var name = container.Str("name") ?? string.Empty;
                var entry = $"logs/{pod.Name()}/{name}";
                var (log, error) = await ReadLogAsync(client, s.OperatorNamespace, pod.Name(), name, cancellationToken).ConfigureAwait(false);
                if (error is null)
                {
                    files[entry + ".log"] = Encoding.UTF8.GetBytes(log ?? string.Empty);
                }
                else
                {
                    files[entry + ".error.txt"] = Encoding.UTF8.GetBytes(error + "\n");
                    notes.Add($"{entry}: {error}");
                }
            }
        }

        var temporary = path + ".partial";
        await using (var output = File.Create(temporary))
        {
            await using var gzip = new GZipStream(output, CompressionLevel.Optimal);
            await using var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: false);
            foreach (var (name, content) in files)
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, $"{Root}/{name}")
                {
                    DataStream = new MemoryStream(content),
                    ModificationTime = now,
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                };
                await tar.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
            }
        }

        File.Move(temporary, path, overwrite: true);
        return notes;
    }

    private static bool NetworkPod(ClusterSnapshot s, JsonObject e) =>
        e.Str("involvedObject", "kind") == "Pod" &&
        s.Pods.Any(p => p.Name() == e.Str("involvedObject", "name") && p.Namespace() == e.Str("involvedObject", "namespace") &&
                        p.Map("metadata", "annotations").ContainsKey("k8s.v1.cni.cncf.io/networks"));

    private static async Task<(string? Log, string? Error)> ReadLogAsync(IKubernetes client, string ns, string pod, string container, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await client.CoreV1.ReadNamespacedPodLogAsync(pod, ns, container: container, tailLines: LogTailLines,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return (await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false), null);
        }
        catch (HttpOperationException ex)
        {
            var message = ex.Response.Content is { Length: > 0 } body && TryStatusMessage(body) is { } text ? text : ex.Message;
            return (null, $"{(int)ex.Response.StatusCode} {ex.Response.StatusCode}: {message}");
        }
    }

    private static string? TryStatusMessage(string body)
    {
        try
        {
            return JsonNode.Parse(body).Str("message");
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static byte[] JsonFile(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString(Indented) + "\n");

    private static byte[] ListFile(IEnumerable<JsonObject> items)
    {
        var array = new JsonArray();
        foreach (var item in items.OrderBy(i => i.Namespace() ?? string.Empty, StringComparer.Ordinal).ThenBy(i => i.Name(), StringComparer.Ordinal))
        {
            var copy = (JsonObject)item.DeepClone();
            (copy["metadata"] as JsonObject)?.Remove("managedFields");
            array.Add(copy);
        }

        return JsonFile(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = array });
    }

    private static string Readme(ClusterSnapshot s, DateTimeOffset now) => $"""
        network-operator support bundle
        collected: {now.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}
        operator namespace: {s.OperatorNamespace}
        server: {s.ServerVersion ?? "unknown"}

        Layout (docs/troubleshooting.md):
          doctor.json                        the diagnosis (network-operator doctor -o json)
          version.json                       server, operator CLI and image versions, the operator's CRDs
          crds.json                          the mellanox.com CustomResourceDefinitions
          policies/, networks/               NicClusterPolicy, NicNodePolicy, networks and NADs, with status
          operator-namespace/                DaemonSets, Deployments, ReplicaSets and pods of the operator namespace
          cluster/                           nodes (labels, taints, conditions), namespaces, NodeFeatureRules
          events.json                        Events of the operator namespace, the operator's kinds, nodes and network pods
          logs/POD/CONTAINER.log             the last {LogTailLines} lines of each container (CONTAINER.error.txt when none)
        No Secret is read: the bundle holds no Secret data.
        {(s.Unreadable.Count > 0 ? "Not readable with the caller's permissions: " + string.Join("; ", s.Unreadable) : string.Empty)}
        """;
}
