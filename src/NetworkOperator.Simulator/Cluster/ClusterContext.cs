using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using NetworkOperator.Simulator.ApiServer;
using NetworkOperator.Simulator.Cluster.Informers;
using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Schema;
using NetworkOperator.Simulator.Storage;

namespace NetworkOperator.Simulator.Cluster;

/// <summary>
/// What the simulated components share: the in-process API (same admission and storage paths as HTTP clients), one
/// informer per watched type, counters, and helpers for the writes every component makes (status patches, events).
/// </summary>
internal sealed class ClusterContext
{
    private readonly ConcurrentQueue<string> _errors = new();

    public ClusterContext(ResourceService api, SimulatedClusterOptions options, ClusterCounters counters)
    {
        Api = api;
        Options = options;
        Counters = counters;
        Pods = Type("", "v1", "pods");
        Nodes = Type("", "v1", "nodes");
        DaemonSets = Type("apps", "v1", "daemonsets");
        Deployments = Type("apps", "v1", "deployments");
        ReplicaSets = Type("apps", "v1", "replicasets");
        ControllerRevisions = Type("apps", "v1", "controllerrevisions");
        Jobs = Type("batch", "v1", "jobs");
        ConfigMaps = Type("", "v1", "configmaps");
        Secrets = Type("", "v1", "secrets");
        Events = Type("", "v1", "events");
        Leases = Type("coordination.k8s.io", "v1", "leases");
        PodInformer = new Informer<V1Pod>(api, Pods);
        NodeInformer = new Informer<V1Node>(api, Nodes);
        DaemonSetInformer = new Informer<V1DaemonSet>(api, DaemonSets);
        DeploymentInformer = new Informer<V1Deployment>(api, Deployments);
        ReplicaSetInformer = new Informer<V1ReplicaSet>(api, ReplicaSets);
        RevisionInformer = new Informer<V1ControllerRevision>(api, ControllerRevisions);
        JobInformer = new Informer<V1Job>(api, Jobs);
        ConfigMapInformer = new Informer<V1ConfigMap>(api, ConfigMaps);
        PodInformer.HandlerFailed = e => ReportError("informer", "pods", e);
        NodeInformer.HandlerFailed = e => ReportError("informer", "nodes", e);
        DaemonSetInformer.HandlerFailed = e => ReportError("informer", "daemonsets", e);
        DeploymentInformer.HandlerFailed = e => ReportError("informer", "deployments", e);
        ReplicaSetInformer.HandlerFailed = e => ReportError("informer", "replicasets", e);
        RevisionInformer.HandlerFailed = e => ReportError("informer", "controllerrevisions", e);
        JobInformer.HandlerFailed = e => ReportError("informer", "jobs", e);
        ConfigMapInformer.HandlerFailed = e => ReportError("informer", "configmaps", e);
    }

    public ResourceService Api { get; }

    public SimulatedClusterOptions Options { get; }

    public ClusterCounters Counters { get; }

    public TimeProvider Time => Api.Time;

    public DateTime Now => Api.Time.GetUtcNow().UtcDateTime;

    public ResourceType Pods { get; }

    public ResourceType Nodes { get; }

    public ResourceType DaemonSets { get; }

    public ResourceType Deployments { get; }

    public ResourceType ReplicaSets { get; }

    public ResourceType ControllerRevisions { get; }

    public ResourceType ConfigMaps { get; }

    public ResourceType Secrets { get; }

    public ResourceType Jobs { get; }

    public ResourceType Events { get; }

    public ResourceType Leases { get; }

    public Informer<V1Pod> PodInformer { get; }

    public Informer<V1Node> NodeInformer { get; }

    public Informer<V1DaemonSet> DaemonSetInformer { get; }

    public Informer<V1Deployment> DeploymentInformer { get; }

    public Informer<V1ReplicaSet> ReplicaSetInformer { get; }

    public Informer<V1ControllerRevision> RevisionInformer { get; }

    public Informer<V1ConfigMap> ConfigMapInformer { get; }

    public Informer<V1Job> JobInformer { get; }

    public IEnumerable<IInformer> Informers =>
        [PodInformer, NodeInformer, DaemonSetInformer, DeploymentInformer, ReplicaSetInformer, RevisionInformer, ConfigMapInformer, JobInformer];

    public IReadOnlyCollection<string> RecentErrors => _errors;

    private ResourceType Type(string group, string version, string plural) =>
        Api.Registry.Find(group, version, plural) ?? throw new InvalidOperationException($"The API server does not serve {group}/{version}/{plural}.");

    public static JsonObject ToJson<T>(T obj) => JsonNode.Parse(KubernetesJson.Serialize(obj))!.AsObject();

    public static T FromStored<T>(StoredObject stored)
    {
        using var stream = new MemoryStream(stored.Json, writable: false);
        return KubernetesJson.Deserialize<T>(stream);
    }

    public void ReportError(string component, string key, Exception error)
    {
        Counters.SyncFailed();
        _errors.Enqueue($"{component} {key}: {(error is ApiException api ? $"{api.Code} {api.Message}" : error.ToString())}");
        while (_errors.Count > 50 && _errors.TryDequeue(out _))
        {
        }
    }

    public async Task<StoredObject> PatchStatusAsync(ResourceType type, string? ns, string name, JsonObject status, CancellationToken cancellationToken)
    {
        Counters.StatusWritten();
        return await Api.PatchAsync(type, ns, name, PatchType.Merge, new JsonObject { ["status"] = status }, "status", null, cancellationToken);
    }

    /// <summary>Binds a pod to a node through pods/binding, as kube-scheduler does (an update may not set spec.nodeName).</summary>
    public Task<StoredObject> BindAsync(string ns, string name, string node, CancellationToken cancellationToken) =>
        PodBinding.BindAsync(Api, ns, name, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["target"] = new JsonObject { ["kind"] = "Node", ["name"] = node },
        }, WriteOptions.Default, cancellationToken);

    public Task<StoredObject> PatchAsync(ResourceType type, string? ns, string name, JsonObject patch, CancellationToken cancellationToken) =>
        Api.PatchAsync(type, ns, name, PatchType.Merge, patch, null, null, cancellationToken);

    /// <summary>Records a core/v1 Event the way components do, so <c>kubectl describe</c> and <c>get events</c> show it.</summary>
    public async Task RecordEventAsync(IKubernetesObject<V1ObjectMeta> involved, string type, string reason, string message, string component,
        string? host, CancellationToken cancellationToken)
    {
        var meta = involved.Metadata;
        var now = Now;
        var ev = new Corev1Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            Metadata = new V1ObjectMeta
            {
                Name = $"{meta.Name}.{now.Ticks.ToString("x", CultureInfo.InvariantCulture)}{Random.Shared.Next(0x1000):x3}",
                NamespaceProperty = string.IsNullOrEmpty(meta.NamespaceProperty) ? "default" : meta.NamespaceProperty,
            },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = involved.ApiVersion,
                Kind = involved.Kind,
                Name = meta.Name,
                NamespaceProperty = meta.NamespaceProperty,
                Uid = meta.Uid,
                ResourceVersion = meta.ResourceVersion,
            },
            Reason = reason,
            Message = message,
            Type = type,
            Source = new V1EventSource { Component = component, Host = host },
            ReportingComponent = component,
            ReportingInstance = host ?? component,
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
        };
        try
        {
            await Api.CreateAsync(Events, ev.Metadata.NamespaceProperty, ToJson(ev), null, cancellationToken);
            Counters.EventRecorded();
        }
        catch (ApiException e) when (e.Code is 404 or 403 or 409)
        {
            // The namespace is going away or the name clashed; events are best effort, as on a real cluster.
        }
    }
}
