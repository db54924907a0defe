using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using NetworkOperator.Api;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Controllers.Hosting;
using NetworkOperator.Controllers.Policies;
using NetworkOperator.Rendering;
using NetworkOperator.Rendering.Preview;
using NetworkOperator.Runtime.Client;
using NetworkOperator.Simulator.Cluster;

namespace NetworkOperator.Tools.Demo;

/// <summary>
/// The floor of a demo run: what the simulated cluster needs to roll out the same components with no operator at all.
/// The objects <c>render</c> produces for the demo's policy and networks are created directly, the node labels the
/// operator ended with are written once per node before them, and the clock stops when every DaemonSet and Deployment
/// is available. Whatever the operator takes beyond this is its own cost.
/// </summary>
internal sealed class FloorRun(string operatorNamespace)
{
    // A bulk client: enough requests in flight to keep the server busy, few enough not to measure queueing.
    private const int Parallelism = 8;

    public sealed record Outcome(TimeSpan Time, long Writes, int Objects, ClusterWork Work);

    /// <param name="cluster">A fresh cluster with the same settings the operator ran on, CRDs installed.</param>
    /// <param name="policy">The demo's NicClusterPolicy.</param>
    /// <param name="networks">The demo's MacvlanNetworks.</param>
    /// <param name="nodeLabels">Per node, the operator's labels as the operator left them.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<Outcome> RunAsync(SimulatedCluster cluster, JsonObject policy, IReadOnlyList<JsonObject> networks,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> nodeLabels, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(networks);
        ArgumentNullException.ThrowIfNull(nodeLabels);
        using var client = cluster.CreateClient();
        var nodes = (await client.CoreV1.ListNodeAsync(cancellationToken: cancellationToken)).Items;
        var resources = new List<IKubernetesObject<V1ObjectMeta>> { KubernetesJson.Deserialize<NicClusterPolicy>(policy.ToJsonString()) };
        resources.AddRange(networks.Select(n => KubernetesJson.Deserialize<MacvlanNetwork>(n.ToJsonString())));
        var facts = new ClusterFacts { Nodes = [.. nodes], OperatorNamespace = operatorNamespace, PrecompiledTags = new OfflineTagLister() };
        var outcomes = ClusterRenderer.RenderAll(resources, facts);
        if (outcomes.FirstOrDefault(o => o.Error is not null) is { } failed)
        {
            throw new InvalidOperationException($"the floor cannot render {failed.Kind} {failed.Name} ({failed.State}): {failed.Error!.Message}");
        }

        var objects = RenderOutput.Objects(outcomes).Select(KubeObject.From).ToList();

        cluster.Server.Requests.Reset();
        var workAtStart = ClusterWork.Now(cluster);
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(nodeLabels.Where(n => n.Value.Count > 0), Options(cancellationToken), async (node, ct) =>
        {
            var patch = new V1Patch(new { metadata = new { labels = node.Value } }, V1Patch.PatchType.MergePatch);
            await client.CoreV1.PatchNodeAsync(patch, node.Key, cancellationToken: ct);
        });

        // Objects of kinds a rendered CRD defines wait for that CRD; everything else goes at once, in render order.
        foreach (var group in objects.GroupBy(o => ManagedKinds.Find(o.ApiVersion, o.Kind) is null ? 1 : 0).OrderBy(g => g.Key))
        {
            await Parallel.ForEachAsync(group, Options(cancellationToken), async (obj, ct) => await CreateAsync(client, obj, ct));
        }

        await WaitAvailableAsync(client, [.. objects.Where(o => o.Kind is "DaemonSet" or "Deployment")], cancellationToken);
        var time = clock.Elapsed;
        var writes = cluster.Server.Requests.Snapshot().Where(r => WriteCounts.IsOperatorWrite(r.Key.Verb, r.Key.Resource)).Sum(r => r.Value);
        return new Outcome(time, writes, objects.Count, ClusterWork.Now(cluster).Since(workAtStart));
    }

    private static ParallelOptions Options(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };

    private static async Task CreateAsync(Kubernetes client, KubeObject obj, CancellationToken cancellationToken)
    {
        var (group, version) = obj.ApiVersion.Contains('/', StringComparison.Ordinal)
            ? (obj.ApiVersion[..obj.ApiVersion.IndexOf('/', StringComparison.Ordinal)], obj.ApiVersion[(obj.ApiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..])
            : (string.Empty, obj.ApiVersion);
        var kind = ManagedKinds.Find(obj.ApiVersion, obj.Kind) ?? await DiscoverAsync(client, group, version, obj.Kind, cancellationToken);
        var resources = new ResourceClient<KubeObject>(client, kind);
        while (true)
        {
            try
            {
                await resources.CreateAsync(obj, cancellationToken: cancellationToken);
                return;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
            {
                // The CRD of this kind is not established yet.
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
        }
    }

    // A kind defined by one of the rendered CRDs: its plural comes from that CRD once the server serves it.
    private static async Task<ResourceKind> DiscoverAsync(Kubernetes client, string group, string version, string kind, CancellationToken cancellationToken)
    {
        while (true)
        {
            var crds = await client.ApiextensionsV1.ListCustomResourceDefinitionAsync(cancellationToken: cancellationToken);
            var crd = crds.Items.FirstOrDefault(c => c.Spec.Group == group && c.Spec.Names.Kind == kind
                && c.Status?.Conditions?.Any(x => x.Type == "Established" && x.Status == "True") == true);
            if (crd is not null)
            {
                return new ResourceKind(group, version, crd.Spec.Names.Plural, kind, crd.Spec.Scope == "Namespaced");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    // The operator's own readiness rule, so both sides stop on the same condition.
    private static async Task WaitAvailableAsync(Kubernetes client, IReadOnlyList<KubeObject> workloads, CancellationToken cancellationToken)
    {
        var daemonSets = new ResourceClient<KubeObject>(client, ManagedKinds.DaemonSet);
        var deployments = new ResourceClient<KubeObject>(client, ManagedKinds.Deployment);
        var namespaces = workloads.Select(w => w.Metadata.NamespaceProperty).Distinct(StringComparer.Ordinal).ToList();
        var wanted = workloads.Select(Key).ToHashSet(StringComparer.Ordinal);
        while (true)
        {
            var live = new List<KubeObject>();
            foreach (var ns in namespaces)
            {
                live.AddRange((await daemonSets.ListAsync(ns, cancellationToken: cancellationToken)).Items);
                live.AddRange((await deployments.ListAsync(ns, cancellationToken: cancellationToken)).Items);
            }

            var ready = live.Where(o => wanted.Contains(Key(o)) && WorkloadReadiness.NotReadyReason(o) is null).Count();
            if (ready == wanted.Count)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    private static string Key(KubeObject o) => $"{o.Kind}/{o.Metadata.NamespaceProperty}/{o.Metadata.Name}";
}
