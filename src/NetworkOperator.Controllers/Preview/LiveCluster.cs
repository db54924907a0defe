using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using NetworkOperator.Api;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.Defaulting;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Api.Validation;
using NetworkOperator.Controllers.Hosting;
using NetworkOperator.Controllers.OpenShift;
using NetworkOperator.Controllers.Startup;
using NetworkOperator.Rendering;
using NetworkOperator.Runtime.Client;

namespace NetworkOperator.Controllers.Preview;

/// <summary>
/// What the operator would read from a cluster before reconciling, taken once with plain LIST requests (no watch, no
/// write): the platform, the nodes, the ConfigMap keys of the operator namespace, every object carrying the state
/// label (the same scope as the operator's caches) and the stored custom resources.
/// </summary>
public sealed class LiveCluster
{
    private readonly Dictionary<ResourceKind, IReadOnlyList<KubeObject>> _objects;

    private LiveCluster(Dictionary<ResourceKind, IReadOnlyList<KubeObject>> objects) => _objects = objects;

    public required ClusterType ClusterType { get; init; }

    public required string OperatorNamespace { get; init; }

    /// <summary>Nodes trimmed the way the operator's node cache trims them, so renders match the operator's.</summary>
    public required IReadOnlyList<V1Node> Nodes { get; init; }

    public required IReadOnlyDictionary<string, IReadOnlyList<string>> ConfigMapKeys { get; init; }

    /// <summary>Stored NicClusterPolicies, NicNodePolicies and networks, with CRD defaults applied.</summary>
    public required IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Resources { get; init; }

    /// <summary>
    /// The running operator's settings (<c>CNI_BIN_DIR</c>, <c>OFED_INIT_CONTAINER_IMAGE</c>, ...) read from the literal
    /// env values of its Deployment in the operator namespace, or the defaults when none is found.
    /// </summary>
    public required OperatorEnvironment Environment { get; init; }

    /// <summary>OpenShift: the Driver Toolkit image per RHCOS build (empty elsewhere).</summary>
    public IReadOnlyDictionary<string, string> DriverToolkitImages { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>OpenShift: the cluster-wide proxy, when one is configured.</summary>
    public ClusterProxy? Proxy { get; init; }

    /// <summary>The Deployment <see cref="Environment"/> was read from, or null when the defaults are used.</summary>
    public string? OperatorDeployment { get; init; }

    public IReadOnlyCollection<ResourceKind> ServedKinds => _objects.Keys;

    /// <summary>The cluster as the admission webhook's cross-object rules see it.</summary>
    public ValidationContext ValidationContext => new()
    {
        ClusterPolicies = [.. Resources.OfType<NicClusterPolicy>()],
        NodePolicies = [.. Resources.OfType<NicNodePolicy>()],
        Nodes = Nodes,
    };

    public static async Task<LiveCluster> ReadAsync(IKubernetes client, string operatorNamespace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var platform = await PlatformDetector.DetectAsync(client, cancellationToken).ConfigureAwait(false);
        var nodes = await client.CoreV1.ListNodeAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var objects = new Dictionary<ResourceKind, IReadOnlyList<KubeObject>>();
        var configMapKeys = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var kind in ManagedKinds.All)
        {
            var list = await ListOrNullAsync(new ResourceClient<KubeObject>(client, kind), null, Labels.State, cancellationToken).ConfigureAwait(false);
            if (list is not null)
            {
                objects[kind] = list;
            }
        }

        if (objects.ContainsKey(ManagedKinds.ConfigMap))
        {
            var configMaps = await client.CoreV1.ListNamespacedConfigMapAsync(operatorNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var configMap in configMaps.Items)
            {
                configMapKeys[configMap.Metadata.Name] = [.. (configMap.Data?.Keys ?? []).Concat(configMap.BinaryData?.Keys ?? []).Order(StringComparer.Ordinal)];
            }
        }

        var deployments = await client.AppsV1.ListNamespacedDeploymentAsync(operatorNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        var (deployment, environment) = OperatorSettings(deployments.Items, operatorNamespace);
        var resources = new List<IKubernetesObject<V1ObjectMeta>>();
        resources.AddRange(await ResourcesAsync<NicClusterPolicy>(client, cancellationToken).ConfigureAwait(false));
        resources.AddRange(await ResourcesAsync<NicNodePolicy>(client, cancellationToken).ConfigureAwait(false));
        resources.AddRange(await ResourcesAsync<MacvlanNetwork>(client, cancellationToken).ConfigureAwait(false));
        resources.AddRange(await ResourcesAsync<HostDeviceNetwork>(client, cancellationToken).ConfigureAwait(false));
        resources.AddRange(await ResourcesAsync<IPoIBNetwork>(client, cancellationToken).ConfigureAwait(false));
        IReadOnlyDictionary<string, string> toolkit = new Dictionary<string, string>(StringComparer.Ordinal);
        ClusterProxy? proxy = null;
        if (platform == ClusterType.OpenShift)
        {
            // Read-only: the trusted CA ConfigMap is the operator's to create, so only the reads of its pass are made here.
            var openShift = new OpenShiftFacts(client, operatorNamespace, TimeProvider.System, NullLogger.Instance);
            toolkit = await openShift.ToolkitImagesAsync(cancellationToken).ConfigureAwait(false);
            proxy = await openShift.ProxyAsync(cancellationToken).ConfigureAwait(false);
        }

        return new LiveCluster(objects)
        {
            ClusterType = platform,
            DriverToolkitImages = toolkit,
            Proxy = proxy,
            OperatorNamespace = operatorNamespace,
            Nodes = [.. nodes.Items.Select(n => (V1Node)CacheTransforms.Node(n))],
            ConfigMapKeys = configMapKeys,
            Resources = resources,
            Environment = environment,
            OperatorDeployment = deployment,
        };
    }

    public bool Serves(ResourceKind kind) => _objects.ContainsKey(kind);

    public KubeObject? Get(ResourceKind kind, string? @namespace, string name) =>
        _objects.TryGetValue(kind, out var list)
            ? list.FirstOrDefault(o => o.Metadata.Name == name && (!kind.Namespaced || o.Metadata.NamespaceProperty == @namespace))
            : null;

    /// <summary>Objects whose controller owner has <paramref name="ownerUid"/> (the operator's stale-object scope).</summary>
    public IEnumerable<(ResourceKind Kind, KubeObject Object)> ControlledBy(string ownerUid) =>
        _objects.SelectMany(p => p.Value.Where(o => (o.Metadata.OwnerReferences ?? []).Any(r => r.Controller == true && r.Uid == ownerUid))
            .Select(o => (p.Key, o)));

    public IKubernetesObject<V1ObjectMeta>? Resource(string kind, string name) =>
        Resources.FirstOrDefault(r => r.Kind == kind && r.Metadata?.Name == name);

    private static async Task<IReadOnlyList<IKubernetesObject<V1ObjectMeta>>> ResourcesAsync<T>(IKubernetes client, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var items = await ListOrNullAsync(new ResourceClient<T>(client), null, null, cancellationToken).ConfigureAwait(false) ?? [];
        return [.. items.Select(i => (IKubernetesObject<V1ObjectMeta>)Defaults.ApplyAny(i))];
    }

    // The operator's container: named network-operator (our chart, upstream's) or announcing OPERATOR_NAME=network-operator.
    // Values from valueFrom (the namespace from the downward API) cannot be resolved here and keep their defaults.
    private static (string? Deployment, OperatorEnvironment Environment) OperatorSettings(IEnumerable<V1Deployment> deployments, string operatorNamespace)
    {
        foreach (var deployment in deployments.OrderBy(d => d.Metadata.Name, StringComparer.Ordinal))
        {
            var container = (deployment.Spec?.Template?.Spec?.Containers ?? []).FirstOrDefault(c => c.Name == OperatorContainer
                || (c.Env ?? []).Any(e => e.Name == "OPERATOR_NAME" && e.Value == OperatorContainer));
            if (container is null)
            {
                continue;
            }

            var env = (container.Env ?? []).Where(e => e.Value is not null).GroupBy(e => e.Name, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
            try
            {
                return ($"{deployment.Metadata.NamespaceProperty}/{deployment.Metadata.Name}",
                    OperatorEnvironment.Read(name => env.GetValueOrDefault(name)) with { Namespace = operatorNamespace });
            }
            catch (OperatorConfigurationException)
            {
                // That operator cannot start with these settings; it renders nothing to compare with.
                break;
            }
        }

        return (null, new OperatorEnvironment { Namespace = operatorNamespace });
    }

    private const string OperatorContainer = "network-operator";

    // A kind the cluster does not serve (CRD not installed, cert-manager absent) answers 404.
    private static async Task<IReadOnlyList<T>?> ListOrNullAsync<T>(ResourceClient<T> resource, string? @namespace, string? labelSelector,
        CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        try
        {
            var list = await resource.ListAsync(@namespace, labelSelector, cancellationToken: cancellationToken).ConfigureAwait(false);
            return [.. list.Items];
        }
        catch (Exception ex) when (ApiErrors.IsNotFound(ex))
        {
            return null;
        }
    }
}
