using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using NetworkOperator.Api;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Controllers.Networks;
using NetworkOperator.Controllers.NodeLabels;
using NetworkOperator.Controllers.Policies;
using NetworkOperator.Controllers.Startup;
using NetworkOperator.Controllers.Upgrade;
using NetworkOperator.Rendering;
using NetworkOperator.Rendering.Networks;
using NetworkOperator.Runtime.Cache;
using NetworkOperator.Runtime.Client;
using NetworkOperator.Runtime.Hosting;
using NetworkOperator.Runtime.LeaderElection;
using NetworkOperator.Runtime.Reconcile;

namespace NetworkOperator.Controllers.Hosting;

/// <summary>
/// The whole operator on one API connection: optional CRD install, platform detection, the policy, network and
/// node-label controllers on the controller runtime's manager (leader election, probes, metrics). Every cache is an
/// informer of the manager's factory, so all of them start and sync under the manager: probes are served meanwhile and
/// the manager's sync timeout applies to each.
/// </summary>
public sealed class OperatorHost : IAsyncDisposable
{
    /// <summary>The scope of the driver pod informer (one of two pod informers, each with its own label selector).</summary>
    public const string DriverPods = "driver-pods";

    /// <summary>The scope of the NIC configuration daemon pod informer.</summary>
    public const string NicConfigurationPods = "nic-configuration-pods";

    private OperatorHost(ControllerManager manager, IReadOnlyList<ResourceKind> managedKinds, OperatorContext context)
    {
        Manager = manager;
        ManagedKindsServed = managedKinds;
        Context = context;
    }

    private readonly CancellationTokenSource _restart = new();

    public ControllerManager Manager { get; }

    /// <summary>
    /// Set when a managed kind the cluster did not serve at start-up became served (its CRD established): the host
    /// stops, and whoever runs it starts a new one, which wires that kind's informer and watches.
    /// </summary>
    public string? RestartReason { get; private set; }

    /// <summary>The managed kinds this cluster serves, each cached by an unstructured informer of the manager.</summary>
    public IReadOnlyList<ResourceKind> ManagedKindsServed { get; }

    public OperatorContext Context { get; }

    public static async Task<OperatorHost> CreateAsync(IKubernetes client, OperatorOptions options, ILoggerFactory loggerFactory,
        TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var clock = time ?? TimeProvider.System;
        var logger = loggerFactory.CreateLogger("NetworkOperator.Controllers.Startup");
        var env = options.Environment;
        // Every start-up read is retried until the API server answers: one transient error must not end the process.
        var retry = new StartupRetry(logger, clock);
        if (options.InstallCrds)
        {
            await retry.RunAsync("installing CRDs", ct => CrdInstaller.InstallAsync(client, logger, clock, ct), cancellationToken).ConfigureAwait(false);
        }

        var platform = await retry.RunAsync("detecting the platform", ct => PlatformDetector.DetectAsync(client, ct), cancellationToken)
            .ConfigureAwait(false);
        var manager = new ControllerManager(client, new ManagerOptions
        {
            LeaderElection = options.LeaderElect
                ? Lease(options, env)
                : null,
            HealthProbeBindAddress = options.HealthProbeBindAddress,
            MetricsBindAddress = options.MetricsBindAddress,
            SecureMetrics = options.SecureMetrics,
            RequestMetrics = options.RequestMetrics,
            EventComponent = "network-operator",
        }, loggerFactory, clock);
        manager.Cache.Configure<V1Node>(o =>
        {
            o.Shape = CacheTransforms.NodeShape;
            o.Transform = CacheTransforms.Node;
        });
        var served = await ConfigureManagedKindsAsync(client, manager.Cache, env.Namespace, logger, retry, cancellationToken).ConfigureAwait(false);
        if (!options.InstallCrds)
        {
            await ReportMissingOwnKindsAsync(client, logger, retry, cancellationToken).ConfigureAwait(false);
        }

        ConfigurePods(manager.Cache, env.Namespace);
        ControllersLog.Starting(logger, platform, env.Namespace, served.Count);
        var context = new OperatorContext
        {
            Client = client,
            Reader = manager.Reader,
            Environment = env,
            ClusterType = platform,
            LoggerFactory = loggerFactory,
            Time = clock,
            Metrics = new ComponentMetrics(manager.Metrics.Registry),
            Events = options.RecordEvents ? manager.Events : null,
            Tags = options.Tags,
            RefreshTags = options.RefreshTags,
            SteadyStateResync = options.SteadyStateResync,
        };
        var host = new OperatorHost(manager, served, context);
        host.Wire(loggerFactory, options.Upgrade ?? new UpgradeControllerOptions(), options.PolicyPassInterval, options.PolicyPassShare);
        return host;
    }

    /// <summary>
    /// Probes which managed kinds the cluster serves (one cheap list each) and configures an unstructured informer for
    /// each, scoped to objects carrying the state label; ConfigMaps are cached whole in the operator namespace, because
    /// the driver needs the keys of user ConfigMaps too.
    /// </summary>
    private static async Task<IReadOnlyList<ResourceKind>> ConfigureManagedKindsAsync(IKubernetes client, SharedInformerFactory cache,
        string operatorNamespace, ILogger logger, StartupRetry retry, CancellationToken cancellationToken)
    {
        var served = new List<ResourceKind>();
        foreach (var kind in ManagedKinds.All)
        {
            if (!await ServedAsync(client, kind, retry, cancellationToken).ConfigureAwait(false))
            {
                ControllersLog.KindNotServed(logger, kind.Resource);
                continue;
            }

            cache.Configure(kind, o =>
            {
                if (kind == ManagedKinds.ConfigMap)
                {
                    o.Namespace = operatorNamespace;
                }
                else
                {
                    o.LabelSelector = ManagedKinds.StateLabelSelector;
                }
            });
            cache.GetInformer(kind);
            served.Add(kind);
        }

        return served;
    }

    /// <summary>
    /// Says once, at start, when the operator's own kinds are not served: without it a missing CRD shows only as the
    /// informers' retried 404s (a plain "404 page not found" for a custom resource path). The informers keep retrying, so
    /// the operator starts reconciling as soon as the CRDs are applied.
    /// </summary>
    private static async Task ReportMissingOwnKindsAsync(IKubernetes client, ILogger logger, StartupRetry retry, CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        foreach (var kind in ResourceKinds.Mellanox)
        {
            if (!await ServedAsync(client, kind, retry, cancellationToken).ConfigureAwait(false))
            {
                missing.Add(kind.Resource);
            }
        }

        if (missing.Count > 0)
        {
            ControllersLog.OwnKindsNotServed(logger, string.Join(", ", missing));
        }
    }

    // One cheap list (a label no object carries); 404 means the cluster does not serve the kind.
    private static Task<bool> ServedAsync(IKubernetes client, ResourceKind kind, StartupRetry retry, CancellationToken cancellationToken)
    {
        var resource = new ResourceClient<KubeObject>(client, kind);
        return retry.RunAsync($"checking whether {kind.Resource} are served", async ct =>
        {
            try
            {
                await resource.ListAsync(labelSelector: ManagedKinds.StateLabelSelector + "=probe", cancellationToken: ct).ConfigureAwait(false);
                return true;
            }
            catch (Exception ex) when (ApiErrors.IsNotFound(ex))
            {
                return false;
            }
        }, cancellationToken);
    }

    // Driver and NIC configuration daemon pods live in the operator namespace; nothing else of pods is read.
    private static void ConfigurePods(SharedInformerFactory cache, string operatorNamespace)
    {
        foreach (var (scope, label) in new[] { (DriverPods, Labels.OfedDriver), (NicConfigurationPods, Labels.NicConfigurationDaemon) })
        {
            cache.Configure<V1Pod>(scope, o =>
            {
                o.Namespace = operatorNamespace;
                o.LabelSelector = label;
                o.Shape = CacheTransforms.PodShape;
                o.Transform = CacheTransforms.Pod;
            });
        }
    }

    private static LeaderElectionOptions Lease(OperatorOptions options, OperatorEnvironment env)
    {
        var lease = new LeaderElectionOptions { LeaseName = OperatorOptions.LeaseName, LeaseNamespace = env.Namespace };
        if (options.LeaderIdentity is { } identity)
        {
            lease.Identity = identity;
        }

        if (options.LeaseTimings is { } t)
        {
            lease.LeaseDuration = t.Duration;
            lease.RenewDeadline = t.RenewDeadline;
            lease.RetryPeriod = t.RetryPeriod;
        }

        return lease;
    }

    private void Wire(ILoggerFactory loggerFactory, UpgradeControllerOptions upgrade, TimeSpan? policyPassInterval, double? policyPassShare)
    {
        var client = Context.Client;
        var applier = new ObjectApplier(client, Manager.Cache, loggerFactory.CreateLogger("NetworkOperator.Controllers.Apply"), OwnerExists);
        var sync = new StateSynchronizer(applier, loggerFactory.CreateLogger("NetworkOperator.Controllers.Policies"), new PodProblems(client, Context.Time));
        var writer = new StatusWriter(client, loggerFactory.CreateLogger("NetworkOperator.Controllers.Status"), Context.Reader as SharedInformerFactory);
        var reporter = new PolicyReporter(Context, writer);
        var ncpKind = ResourceKinds.For<NicClusterPolicy>();
        var nnpKind = ResourceKinds.For<NicNodePolicy>();
        var nodeChanged = new DelegatePredicate<V1Node>(update: (o, n) => NodeFactsChanged(o, n));
        var clusterKey = new ObjectKey(null, ApiGroup.NicClusterPolicyName);

        LateKinds.Watch(Manager.Cache, ManagedKinds.All.Except(ManagedKindsServed), RequestRestart);

        var driverPods = Manager.Cache.GetInformer<V1Pod>(DriverPods);
        var configPods = Manager.Cache.GetInformer<V1Pod>(NicConfigurationPods);
        int PendingNodeLabels() => WaitLabelReconciler.Plan(Context, driverPods, configPods).Changes.Count;
        bool AwaitsDriver() => WaitLabelReconciler.AwaitsDriver(Context, driverPods);
        Controller? upgradeController = null;
        bool UpgradeSettling() => upgradeController?.Queue is { } queue && (queue.Count > 0 || queue.ProcessingCount > 0);

        var ncp = Manager.NewController("nicclusterpolicy").For<NicClusterPolicy>(GenerationOrStatusless<NicClusterPolicy>())
            .Watches<V1Node>(_ => [clusterKey], nodeChanged);
        OwnedFrom(ncp, ncpKind, ComponentStates.ClusterPolicy.SelectMany(s => s.OwnedKinds));
        ncp.WithOptions(o => (o.MinInterval, o.IdleShare) = (policyPassInterval, policyPassShare));
        ncp.Complete(new NicClusterPolicyReconciler(Context, sync, reporter, PendingNodeLabels, UpgradeSettling, AwaitsDriver));

        var nnp = Manager.NewController("nicnodepolicy").For<NicNodePolicy>(GenerationOrStatusless<NicNodePolicy>())
            .Watches<V1Node>(_ => AllNodePolicies(), nodeChanged)
            .Watches<NicNodePolicy>(_ => AllNodePolicies(), new DelegatePredicate<NicNodePolicy>(update: (o, n) => o.Metadata.Generation != n.Metadata.Generation))
            // A section the cluster policy takes or gives up changes what each node policy may deploy.
            .Watches<NicClusterPolicy>(_ => AllNodePolicies(), GenerationOrStatusless<NicClusterPolicy>());
        OwnedFrom(nnp, nnpKind, ComponentStates.NodePolicy.SelectMany(s => s.OwnedKinds));
        nnp.WithOptions(o => (o.MinInterval, o.IdleShare) = (policyPassInterval, policyPassShare));
        nnp.Complete(new NicNodePolicyReconciler(Context, sync, reporter, PendingNodeLabels, UpgradeSettling, AwaitsDriver));

        Network<MacvlanNetwork>("macvlannetwork", new MacvlanNetworkReconciler(Context, applier, writer), n => n.Spec?.NetworkNamespace);
        Network<HostDeviceNetwork>("hostdevicenetwork", new HostDeviceNetworkReconciler(Context, applier, writer), n => n.Spec?.NetworkNamespace);
        Network<IPoIBNetwork>("ipoibnetwork", new IPoIBNetworkReconciler(Context, applier, writer), n => n.Spec?.NetworkNamespace);

        var upgradeCache = UpgradeCache.From(Manager, driverPods, Context.Environment.Namespace);
        PodsByNode.Index(driverPods);
        PodsByNode.Index(configPods);
        IEnumerable<ObjectKey> EveryNode() => Context.Reader.List<V1Node>().Select(n => WaitLabelReconciler.KeyOf(n.Metadata.Name));
        Manager.NewController("node-wait-labels")
            .Watches<V1Node>(n => [WaitLabelReconciler.KeyOf(n.Metadata.Name)],
                new DelegatePredicate<V1Node>(update: (o, n) => !SameLabels(o.Metadata.Labels, n.Metadata.Labels)))
            .Watches<NicClusterPolicy>(_ => EveryNode(), GenerationOrStatusless<NicClusterPolicy>())
            .Watches<NicNodePolicy>(_ => EveryNode(), GenerationOrStatusless<NicNodePolicy>())
            .WatchesSource(new InformerSource<V1Pod>(driverPods, WaitLabelReconciler.KeysOf, null, "driver pods"))
            .WatchesSource(new InformerSource<V1Pod>(configPods, WaitLabelReconciler.KeysOf, null, "NIC configuration daemon pods"))
            .WithOptions(o => o.MaxConcurrentReconciles = WaitLabelReconciler.Workers)
            .Complete(new WaitLabelReconciler(Context, driverPods, configPods, () => upgradeCache.DriverInSync(Context.Environment.Namespace)));

        // Driver upgrades run as their own single-worker controller; it watches the policies itself (as upstream's upgrade reconciler).
        var env = Context.Environment;
        (upgradeController, _) = DriverUpgradeController.AddTo(Manager, driverPods, upgrade with
        {
            Namespace = env.Namespace,
            Maintenance = env.MaintenanceOperatorEnabled
                ? new MaintenanceOptions(env.MaintenanceOperatorRequestorId ?? MaintenanceOptions.DefaultRequestorId,
                    env.MaintenanceOperatorRequestorNamespace, env.MaintenanceOperatorNodeMaintenancePrefix)
                : upgrade.Maintenance,
        }, loggerFactory, Context.Time);
    }

    /// <summary>
    /// A network controller. A created Namespace wakes the networks that name it, so a network created before its
    /// namespace gets its NAD at once instead of retrying the write on a timer.
    /// </summary>
    private void Network<T>(string name, IReconciler reconciler, Func<T, string?> networkNamespace)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var builder = Manager.NewController(name).For<T>(GenerationOrStatusless<T>())
            .Watches<V1Namespace>(ns => Context.Reader.List<T>()
                    .Where(n => Nad.Namespace(networkNamespace(n)) == ns.Metadata.Name)
                    .Select(n => new ObjectKey(null, n.Metadata.Name)),
                new DelegatePredicate<V1Namespace>(update: (_, _) => false, delete: _ => false));
        if (Manager.Cache.FindInformer(ManagedKinds.NetworkAttachmentDefinition) is { } nads)
        {
            builder.WatchesSource(new InformerSource<KubeObject>(nads, Mappings.ControllerOwner<KubeObject>(ResourceKinds.For<T>()),
                null, $"NADs owned by {name}"));
        }

        builder.Complete(reconciler);
    }

    /// <summary>
    /// Wakes the owner's controller when an object it controls changes, for the kinds its states declare (as upstream's
    /// states declare their watch sources): a kind no state of that policy renders costs it no watch.
    /// </summary>
    private void OwnedFrom(ControllerBuilder builder, ResourceKind owner, IEnumerable<ResourceKind> stateKinds)
    {
        var declared = stateKinds.ToHashSet();
        foreach (var kind in ManagedKindsServed.Where(declared.Contains))
        {
            builder.WatchesSource(new InformerSource<KubeObject>(Manager.Cache.GetInformer(kind), Mappings.ControllerOwner<KubeObject>(owner),
                [SameContent], $"{kind.Kind} owned by {owner.Kind}"));
        }
    }

    private IEnumerable<ObjectKey> AllNodePolicies() =>
        Context.Reader.List<NicNodePolicy>().Select(p => new ObjectKey(null, p.Metadata.Name));

    // Asked only about an object another mellanox.com resource controls: while that resource exists it keeps the object.
    // The network kinds count too: a MacvlanNetwork and a HostDeviceNetwork of one name render the same NAD.
    private bool OwnerExists(string uid) =>
        Context.Reader.List<NicClusterPolicy>().Any(p => p.Metadata.Uid == uid)
        || Context.Reader.List<NicNodePolicy>().Any(p => p.Metadata.Uid == uid)
        || Context.Reader.List<MacvlanNetwork>().Any(n => n.Metadata.Uid == uid)
        || Context.Reader.List<HostDeviceNetwork>().Any(n => n.Metadata.Uid == uid)
        || Context.Reader.List<IPoIBNetwork>().Any(n => n.Metadata.Uid == uid);

    /// <summary>
    /// Runs the manager (its caches, probes, metrics and controllers) until cancelled, or until a kind it did not serve
    /// at start-up becomes served (<see cref="RestartReason"/> is then set and it returns normally).
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _restart.Token);
        try
        {
            await Manager.RunAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_restart.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Manager.DisposeAsync().ConfigureAwait(false);
        _restart.Dispose();
    }

    private void RequestRestart(ResourceKind kind)
    {
        if (RestartReason is not null)
        {
            return;
        }

        RestartReason = $"{kind.CrdName} is now served by the cluster";
        var logger = Context.LoggerFactory.CreateLogger("NetworkOperator.Controllers.Startup");
        ControllersLog.KindNowServed(logger, kind.CrdName);
        _restart.Cancel();
    }

    // Our own status writes must not wake the controller: only spec (generation), labels, annotations and deletion do.
    private static DelegatePredicate<T> GenerationOrStatusless<T>()
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        new(update: (o, n) => o.Metadata.Generation != n.Metadata.Generation
            || !SameLabels(o.Metadata.Labels, n.Metadata.Labels)
            || !SameLabels(o.Metadata.Annotations, n.Metadata.Annotations)
            || o.Metadata.DeletionTimestamp != n.Metadata.DeletionTimestamp);

    // Upstream's "same content" predicate: an update carrying nothing but a new resourceVersion wakes nobody.
    private static readonly DelegatePredicate<KubeObject> SameContent = new(update: (o, n) =>
        KubernetesJson.Serialize(Strip(o)) != KubernetesJson.Serialize(Strip(n)));

    private static KubeObject Strip(KubeObject obj)
    {
        var copy = new KubeObject
        {
            ApiVersion = obj.ApiVersion, Kind = obj.Kind, Fields = obj.Fields,
            Metadata = new V1ObjectMeta
            {
                Name = obj.Metadata.Name, NamespaceProperty = obj.Metadata.NamespaceProperty, Labels = obj.Metadata.Labels,
                Annotations = obj.Metadata.Annotations, OwnerReferences = obj.Metadata.OwnerReferences,
                DeletionTimestamp = obj.Metadata.DeletionTimestamp,
            },
        };
        return copy;
    }

    private static bool NodeFactsChanged(V1Node old, V1Node updated) =>
        !SameLabels(old.Metadata.Labels, updated.Metadata.Labels)
        || TaintsJson(old) != TaintsJson(updated);

    // KubernetesJson.Serialize throws on null, and most nodes have no taints.
    private static string TaintsJson(V1Node node) => node.Spec?.Taints is { } taints ? KubernetesJson.Serialize(taints) : string.Empty;

    private static bool SameLabels(IDictionary<string, string>? a, IDictionary<string, string>? b)
    {
        if ((a?.Count ?? 0) != (b?.Count ?? 0))
        {
            return false;
        }

        return a is null || b is null || a.All(p => b.TryGetValue(p.Key, out var v) && v == p.Value);
    }
}
