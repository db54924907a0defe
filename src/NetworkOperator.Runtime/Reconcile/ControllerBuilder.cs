using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using NetworkOperator.Api;
using NetworkOperator.Runtime.Cache;
using NetworkOperator.Runtime.Metrics;

namespace NetworkOperator.Runtime.Reconcile;

/// <summary>
/// Fluent wiring in controller-runtime's shape: <c>For</c> the primary kind, <c>Owns</c> children (mapped back through
/// their controller owner reference), <c>Watches</c> anything else with a mapping function, predicates per watch.
/// Every watched kind is served by the shared informer of its kind, so adding a watch is one line and costs no
/// extra API connection when another controller already watches that kind.
/// </summary>
public sealed class ControllerBuilder
{
    private readonly SharedInformerFactory _cache;
    private readonly Action<Controller>? _register;
    private readonly RuntimeMetrics _metrics;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly TimeProvider _time;
    private readonly List<IWatchSource> _sources = [];
    private readonly ControllerOptions _options = new();
    private string? _name;
    private ResourceKind? _forKind;

    public ControllerBuilder(SharedInformerFactory cache, Action<Controller>? register = null, RuntimeMetrics? metrics = null,
        ILoggerFactory? loggerFactory = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(cache);
        _cache = cache;
        _register = register;
        _metrics = metrics ?? new RuntimeMetrics();
        _loggerFactory = loggerFactory;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Names the controller (logs, metrics); defaults to the lower-cased primary kind.</summary>
    public ControllerBuilder Named(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _name = name;
        return this;
    }

    /// <summary>The primary kind: its events enqueue the object's own key.</summary>
    public ControllerBuilder For<T>(params IPredicate<T>[] predicates)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        if (_forKind is not null)
        {
            throw new InvalidOperationException("For may be called only once per controller.");
        }

        _forKind = ResourceKinds.For<T>();
        _sources.Add(new InformerSource<T>(_cache.GetInformer<T>(), Mappings.Self, predicates,
            $"kind source: {_forKind.Kind}"));
        return this;
    }

    /// <summary>A child kind: its events enqueue the key of its controller owner of the primary kind.</summary>
    public ControllerBuilder Owns<T>(params IPredicate<T>[] predicates)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var owner = _forKind ?? throw new InvalidOperationException("Call For before Owns: the owner kind is the primary kind.");
        var kind = ResourceKinds.For<T>();
        _sources.Add(new InformerSource<T>(_cache.GetInformer<T>(), Mappings.ControllerOwner<T>(owner), predicates,
            $"kind source: {kind.Kind} owned by {owner.Kind}"));
        return this;
    }

    /// <summary>Any kind: <paramref name="map"/> turns each changed object into the keys to reconcile.</summary>
    public ControllerBuilder Watches<T>(Func<T, IEnumerable<ObjectKey>> map, params IPredicate<T>[] predicates)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(map);
        var kind = ResourceKinds.For<T>();
        _sources.Add(new InformerSource<T>(_cache.GetInformer<T>(), map, predicates, $"kind source: {kind.Kind} mapped"));
        return this;
    }

    /// <summary>Adds a custom source (for example a channel of external triggers).</summary>
    public ControllerBuilder WatchesSource(IWatchSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _sources.Add(source);
        return this;
    }

    public ControllerBuilder WithOptions(Action<ControllerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(_options);
        return this;
    }

    public Controller Complete(IReconciler reconciler)
    {
        ArgumentNullException.ThrowIfNull(reconciler);
        var name = _name ?? _forKind?.Kind.ToLowerInvariant()
            ?? throw new InvalidOperationException("Name the controller or call For.");
        if (_sources.Count == 0)
        {
            throw new InvalidOperationException($"Controller {name} watches nothing; call For, Owns or Watches.");
        }

        var controller = new Controller(name, reconciler, [.. _sources], _options, _metrics, _loggerFactory, _time);
        _register?.Invoke(controller);
        return controller;
    }

    public Controller Complete(Func<ObjectKey, CancellationToken, Task<ReconcileResult>> reconcile) =>
        Complete(new DelegateReconciler(reconcile));
}
