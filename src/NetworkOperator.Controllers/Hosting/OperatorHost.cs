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
using NetworkOperator.Runtime.Cache;
using NetworkOperator.Runtime.Client;
using NetworkOperator.Runtime.Hosting;
using NetworkOperator.Runtime.LeaderElection;
using NetworkOperator.Runtime.Reconcile;

namespace NetworkOperator.Controllers.Hosting;

/// <summary>
/// The whole operator on one API connection: optional CRD install, platform detection, caches, the policy, network
/// and node-label controllers on the controller runtime's manager (leader election, probes, metrics).
/// </summary>
public sealed class OperatorHost : IAsyncDisposable
{
    private readonly List<Informer<V1Pod>> _podInformers = [];
    private readonly List<Task> _podRuns = [];
    private readonly CancellationTokenSource _stop = new();

    private OperatorHost(ControllerManager manager, ObjectCache objects, OperatorContext context)
    {
        Manager = manager;
        Objects = objects;
        Context = context;
    }

    public ControllerManager Manager { get; }

    public ObjectCache Objects { get; }

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
            EventComponent = "network-operator",
        }, loggerFactory, clock);
        manager.Cache.Configure<V1Node>(o => o.Transform = CacheTransforms.Node);
        var objects = await ObjectCache.CreateAsync(client, env.Namespace, manager.Metrics, loggerFactory, clock, retry, cancellationToken)
            .ConfigureAwait(false);
        ControllersLog.Starting(logger, platform, env.Namespace, objects.Kinds.Count);
        var context = new OperatorContext
        {
            Client = client,
            Reader = manager.Reader,
            Objects = objects,
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
        var host = new OperatorHost(manager, objects, context);
        host.Wire(loggerFactory, options.Upgrade ?? new UpgradeControllerOptions());
        return host;
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

    private void Wire(ILoggerFactory loggerFactory, UpgradeControllerOptions upgrade)
    {
        var client = Context.Client;
        var applier = new ObjectApplier(client, Objects, loggerFactory.CreateLogger("NetworkOperator.Controllers.Apply"), OwnerExists);
        var sync = new StateSynchronizer(applier, loggerFactory.CreateLogger("NetworkOperator.Controllers.Policies"), new PodCreationFailures(client, Context.Time));
        var writer = new StatusWriter(client, loggerFactory.CreateLogger("NetworkOperator.Controllers.Status"), Context.Reader as SharedInformerFactory);
        var reporter = new PolicyReporter(Context, writer);
        var ncpKind = ResourceKinds.For<NicClusterPolicy>();
        var nnpKind = ResourceKinds.For<NicNodePolicy>();
        var nodeChanged = new DelegatePredicate<V1Node>(update: (o, n) => NodeFactsChanged(o, n));
        var clusterKey = new ObjectKey(null, ApiGroup.NicClusterPolicyName);

        var ncp = Manager.NewController("nicclusterpolicy").For<NicClusterPolicy>(GenerationOrStatusless<NicClusterPolicy>())
            .Watches<V1Node>(_ => [clusterKey], nodeChanged);
        OwnedFrom(ncp, ncpKind);
        ncp.Complete(new NicClusterPolicyReconciler(Context, sync, reporter));

        var nnp = Manager.NewController("nicnodepolicy").For<NicNodePolicy>(GenerationOrStatusless<NicNodePolicy>())
            .Watches<V1Node>(_ => AllNodePolicies(), nodeChanged)
            .Watches<NicNodePolicy>(_ => AllNodePolicies(), new DelegatePredicate<NicNodePolicy>(update: (o, n) => o.Metadata.Generation != n.Metadata.Generation));
        OwnedFrom(nnp, nnpKind);
        nnp.Complete(new NicNodePolicyReconciler(Context, sync, reporter));

        Network<MacvlanNetwork>("macvlannetwork", new MacvlanNetworkReconciler(Context, applier, writer));
        Network<HostDeviceNetwork>("hostdevicenetwork", new HostDeviceNetworkReconciler(Context, applier, writer));
        Network<IPoIBNetwork>("ipoibnetwork", new IPoIBNetworkReconciler(Context, applier, writer));

        var driverPods = PodInformer(client, Labels.OfedDriver, loggerFactory);
        var configPods = PodInformer(client, Labels.NicConfigurationDaemon, loggerFactory);
        var waitKey = WaitLabelReconciler.Key;
        Manager.NewController("node-wait-labels")
            .Watches<V1Node>(_ => [waitKey], new DelegatePredicate<V1Node>(update: (o, n) => !SameLabels(o.Metadata.Labels, n.Metadata.Labels)))
            .Watches<NicClusterPolicy>(_ => [waitKey], GenerationOrStatusless<NicClusterPolicy>())
            .Watches<NicNodePolicy>(_ => [waitKey], GenerationOrStatusless<NicNodePolicy>())
            .WatchesSource(new InformerSource<V1Pod>(driverPods, _ => [waitKey], null, "driver pods"))
            .WatchesSource(new InformerSource<V1Pod>(configPods, _ => [waitKey], null, "NIC configuration daemon pods"))
            .Complete(new WaitLabelReconciler(Context, driverPods, configPods));

        // Driver upgrades run as their own single-worker controller; it watches the policies itself (§5.1).
        var env = Context.Environment;
        DriverUpgradeController.AddTo(Manager, driverPods, upgrade with
        {
            Namespace = env.Namespace,
            Maintenance = env.MaintenanceOperatorEnabled
                ? new MaintenanceOptions(env.MaintenanceOperatorRequestorId ?? MaintenanceOptions.DefaultRequestorId,
                    env.MaintenanceOperatorRequestorNamespace, env.MaintenanceOperatorNodeMaintenancePrefix)
                : upgrade.Maintenance,
        }, loggerFactory, Context.Time);
    }

    private void Network<T>(string name, IReconciler reconciler)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var builder = Manager.NewController(name).For<T>(GenerationOrStatusless<T>());
        if (Objects.InformerFor(ManagedKinds.NetworkAttachmentDefinition) is { } nads)
        {
            builder.WatchesSource(new InformerSource<KubeObject>(nads, Mappings.ControllerOwner<KubeObject>(ResourceKinds.For<T>()),
                null, $"NADs owned by {name}"));
        }

        builder.Complete(reconciler);
    }

    private void OwnedFrom(ControllerBuilder builder, ResourceKind owner)
    {
        foreach (var kind in Objects.Kinds)
        {
            builder.WatchesSource(new InformerSource<KubeObject>(Objects.InformerFor(kind)!, Mappings.ControllerOwner<KubeObject>(owner),
                [SameContent], $"{kind.Kind} owned by {owner.Kind}"));
        }
    }

    private IEnumerable<ObjectKey> AllNodePolicies() =>
        Context.Reader.List<NicNodePolicy>().Select(p => new ObjectKey(null, p.Metadata.Name));

    private bool OwnerExists(string uid) =>
        Context.Reader.List<NicClusterPolicy>().Any(p => p.Metadata.Uid == uid)
        || Context.Reader.List<NicNodePolicy>().Any(p => p.Metadata.Uid == uid);

    private Informer<V1Pod> PodInformer(IKubernetes client, string label, ILoggerFactory loggerFactory)
    {
        var informer = new Informer<V1Pod>(new ResourceClient<V1Pod>(client), new InformerOptions
            {
                // Driver and NIC configuration daemon pods live in the operator namespace; nothing else is read.
                Namespace = Context.Environment.Namespace, LabelSelector = label, Transform = CacheTransforms.Pod,
            },
            Manager.Metrics, loggerFactory, Context.Time);
        _podInformers.Add(informer);
        return informer;
    }

    /// <summary>Starts the operator's own caches, waits for them, then runs the manager until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Objects.Start();
        foreach (var informer in _podInformers)
        {
            _podRuns.Add(Task.Run(() => informer.RunAsync(_stop.Token), CancellationToken.None));
        }

        await Objects.WaitForSyncAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(_podInformers.Select(i => i.WaitForSyncAsync(cancellationToken))).ConfigureAwait(false);
        await Manager.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_podRuns).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await Objects.DisposeAsync().ConfigureAwait(false);
        await Manager.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
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
