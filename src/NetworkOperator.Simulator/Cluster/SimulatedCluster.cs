using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using NetworkOperator.Simulator.Cluster.Controllers;
using NetworkOperator.Simulator.Cluster.DataPlane;
using NetworkOperator.Simulator.Cluster.Kubelet;
using NetworkOperator.Simulator.Cluster.Nodes;
using NetworkOperator.Simulator.Cluster.OpenShift;
using NetworkOperator.Simulator.Cluster.Scheduling;
using NetworkOperator.Simulator.Errors;

namespace NetworkOperator.Simulator.Cluster;

/// <summary>
/// The embedded API server plus what makes it a cluster: nodes, the DaemonSet, Deployment, ReplicaSet and Job controllers,
/// the scheduler, a kubelet for every node and the simulated data plane. Start one with <see cref="StartAsync"/>, talk
/// to it with <see cref="CreateClient"/> or a kubeconfig from <see cref="WriteKubeconfig"/>, dispose it to stop.
/// </summary>
public sealed class SimulatedCluster : IAsyncDisposable
{
    private readonly ClusterContext _context;
    private readonly SimulatedKubelet _kubelet;
    private readonly DaemonSetController _daemonSets;
    private readonly ReplicaSetController _replicaSets;
    private readonly DeploymentController _deployments;
    private readonly JobController _jobs;
    private readonly PodGarbageCollector _podGarbage;
    private readonly Scheduler _scheduler;
    private readonly TrustedCaInjector? _trustedCa;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private ITimer? _heartbeat;

    private SimulatedCluster(SimulatedApiServer server, SimulatedClusterOptions options)
    {
        Server = server;
        Options = options;
        _context = new ClusterContext(server.Resources, options, Counters);
        _daemonSets = new DaemonSetController(_context);
        _replicaSets = new ReplicaSetController(_context);
        _deployments = new DeploymentController(_context);
        _jobs = new JobController(_context);
        _podGarbage = new PodGarbageCollector(_context);
        _scheduler = new Scheduler(_context);
        _kubelet = new SimulatedKubelet(_context, new IpAddressAllocator());
        _trustedCa = options.OpenShift ? new TrustedCaInjector(_context) : null;
    }

    public SimulatedApiServer Server { get; }

    public SimulatedClusterOptions Options { get; }

    public ClusterCounters Counters { get; } = new();

    /// <summary>Secondary-network addresses in use, per IPAM pool.</summary>
    public IpAddressAllocator NetworkAddresses => _kubelet.Allocator;

    /// <summary>The latest sync failures (conflicts are normal under load and retried), newest last.</summary>
    public IReadOnlyCollection<string> LastErrors => _context.RecentErrors;

    /// <summary>Work not yet done by the controllers, scheduler and kubelet (zero when the cluster is settled).</summary>
    public int PendingWork => _daemonSets.Pending + _replicaSets.Pending + _deployments.Pending + _jobs.Pending + _scheduler.Pending + _kubelet.Pending;

    public IReadOnlyList<string> NodeNames => [.. _context.NodeInformer.Items.Select(n => n.Metadata.Name).Order(StringComparer.Ordinal)];

    public static async Task<SimulatedCluster> StartAsync(SimulatedClusterOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SimulatedClusterOptions();
        options.Server.GracefulPodDeletion = true;
        if (options.OpenShift && ReferenceEquals(options.SyntheticNodes.Pools, NodePool.Defaults))
        {
            options.SyntheticNodes.Pools = NodePool.OpenShift;
        }

        var nodes = options.Nodes ?? (options.NodesFile is { } file
            ? NodeInventory.Load(file)
            : SyntheticNodeGenerator.Generate(WithCount(options.SyntheticNodes, options.NodeCount), options.Server.TimeProvider.GetUtcNow().UtcDateTime));
        var server = new SimulatedApiServer(options.Server);
        var cluster = new SimulatedCluster(server, options);
        try
        {
            await server.StartAsync(cancellationToken);
            if (options.OpenShift)
            {
                using var admin = server.CreateClient();
                await OpenShiftPlatform.InstallAsync(admin, nodes, cancellationToken);
            }

            await cluster.RegisterNodesAsync(nodes, cancellationToken);
            cluster.Start();
            await Task.WhenAll(cluster._context.Informers.Select(i => i.Synced)).WaitAsync(cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private static SyntheticNodeOptions WithCount(SyntheticNodeOptions shape, int count) => new()
    {
        Count = count,
        NamePrefix = shape.NamePrefix,
        CpuOnlyShare = shape.CpuOnlyShare,
        Pools = shape.Pools,
        Cpu = shape.Cpu,
        AllocatableCpu = shape.AllocatableCpu,
        Memory = shape.Memory,
        AllocatableMemory = shape.AllocatableMemory,
        MaxPods = shape.MaxPods,
        KubeletVersion = shape.KubeletVersion,
    };

    public Kubernetes CreateClient() => Server.CreateClient();

    public string WriteKubeconfig(string path) => Server.WriteKubeconfig(path);

    /// <summary>Adds a crash rule; pods it matches start crash-looping at their next start or restart.</summary>
    public void AddFailure(FailureOverride rule)
    {
        lock (Options.Failures)
        {
            Options.Failures.Add(rule);
        }

        _kubelet.Resync();
    }

    /// <summary>Makes images containing <paramref name="image"/> unpullable (<see cref="SimulatedClusterOptions.UnpullableImages"/>).</summary>
    public void AddUnpullableImage(string image)
    {
        lock (Options.UnpullableImages)
        {
            Options.UnpullableImages.Add(image);
        }

        _kubelet.Resync();
    }

    /// <summary>Removes crash rules; crash-looping pods recover at their next restart.</summary>
    public void ClearFailures()
    {
        lock (Options.Failures)
        {
            Options.Failures.Clear();
        }

        _kubelet.Resync();
    }

    /// <summary>Registers one more node, as a kubelet joining the cluster does.</summary>
    public async Task AddNodeAsync(V1Node node, CancellationToken cancellationToken = default) =>
        await RegisterNodesAsync([node], cancellationToken);

    private async Task RegisterNodesAsync(IReadOnlyList<V1Node> nodes, CancellationToken cancellationToken)
    {
        var now = Server.Options.TimeProvider.GetUtcNow();
        var json = nodes.Select(ClusterContext.ToJson).ToList();
        var defaults = new NodeStatusDefaults(Options.SyntheticNodes,
            json.Concat(_context.NodeInformer.Items.Select(ClusterContext.ToJson)));
        await Parallel.ForEachAsync(json, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (node, ct) =>
        {
            node["apiVersion"] = "v1";
            node["kind"] = "Node";
            if (node["metadata"] is JsonObject meta)
            {
                meta.Remove("resourceVersion");
                meta.Remove("uid");
                meta.Remove("creationTimestamp");
            }

            // A kubelet always posts its conditions, capacity and addresses; a node written without them (a hand-made
            // inventory) joins Ready with the synthetic nodes' capacity.
            defaults.Apply(node);
            var status = (JsonObject)node["status"]!;
            if (status["conditions"] is not JsonArray { Count: > 0 })
            {
                status["conditions"] = new JsonArray(JsonNode.Parse(KubernetesJson.Serialize(NodeConditions.Ready(now.UtcDateTime))));
            }

            var created = await Server.Resources.CreateAsync(_context.Nodes, null, node, null, ct);
            if (Options.NodeLeases)
            {
                await RenewLeaseAsync(created.Name, created.Uid, now, ct);
            }
        });
    }

    private async Task RenewLeaseAsync(string node, string? uid, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var lease = new JsonObject
        {
            ["apiVersion"] = "coordination.k8s.io/v1",
            ["kind"] = "Lease",
            ["metadata"] = new JsonObject
            {
                ["name"] = node,
                ["namespace"] = "kube-node-lease",
                ["ownerReferences"] = uid is null ? null : new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "v1", ["kind"] = "Node", ["name"] = node, ["uid"] = uid,
                }),
            },
            ["spec"] = new JsonObject
            {
                ["holderIdentity"] = node,
                ["leaseDurationSeconds"] = 40,
                ["renewTime"] = now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
            },
        };
        try
        {
            await Server.Resources.CreateAsync(_context.Leases, "kube-node-lease", lease, null, cancellationToken);
        }
        catch (ApiException e) when (e.Code == 409)
        {
            await Server.Resources.PatchAsync(_context.Leases, "kube-node-lease", node, ApiServer.PatchType.Merge,
                new JsonObject { ["spec"] = lease["spec"]!.DeepClone() }, null, null, cancellationToken);
        }
    }

    private void Start()
    {
        var token = _stop.Token;
        foreach (var informer in _context.Informers)
        {
            _loops.Add(Task.Run(() => informer.RunAsync(token), token));
        }

        _loops.Add(_daemonSets.RunAsync(token));
        _loops.Add(_replicaSets.RunAsync(token));
        _loops.Add(_deployments.RunAsync(token));
        _loops.Add(_jobs.RunAsync(token));
        _loops.Add(_podGarbage.RunAsync(token));
        _loops.Add(_scheduler.RunAsync(token));
        _loops.Add(_kubelet.RunAsync(token));
        if (_trustedCa is not null)
        {
            _loops.Add(_trustedCa.RunAsync(token));
        }
        if (Options.NodeHeartbeatInterval is { } interval)
        {
            _heartbeat = _context.Time.CreateTimer(_ => _ = HeartbeatAsync(token), null, interval, interval);
        }
    }

    private async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        var now = _context.Time.GetUtcNow();
        foreach (var node in _context.NodeInformer.Items)
        {
            try
            {
                if (Options.NodeLeases)
                {
                    await RenewLeaseAsync(node.Metadata.Name, node.Metadata.Uid, now, cancellationToken);
                }

                var conditions = (node.Status?.Conditions ?? []).Select(c => c.Type == "Ready" ? NodeConditions.Ready(now.UtcDateTime) : c).ToList();
                var ready = conditions.FirstOrDefault(c => c.Type == "Ready");
                var previous = node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
                if (ready is not null && previous is not null && previous.Status == "True")
                {
                    ready.LastTransitionTime = previous.LastTransitionTime;
                }

                await _context.PatchStatusAsync(_context.Nodes, null, node.Metadata.Name,
                    new JsonObject { ["conditions"] = JsonNode.Parse(KubernetesJson.Serialize(conditions)) }, cancellationToken);
            }
            catch (ApiException)
            {
                // A node removed meanwhile: the next beat no longer sees it.
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _heartbeat?.Dispose();
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
        }

        await Server.DisposeAsync();
        _stop.Dispose();
    }
}
