using NetworkOperator.Runtime.Queue;
using Prometheus;

namespace NetworkOperator.Runtime.Metrics;

/// <summary>
/// The runtime's Prometheus collectors, named like controller-runtime's so existing dashboards and alerts apply.
/// Each manager owns a registry so several managers (tests, benchmarks) never share counters.
/// </summary>
public sealed class RuntimeMetrics
{
    private static readonly double[] DurationBuckets =
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.25, 1.5,
            1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60];

    private static readonly double[] QueueBuckets = Histogram.ExponentialBuckets(1e-8, 10, 10);

    public RuntimeMetrics(CollectorRegistry? registry = null)
    {
        Registry = registry ?? Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);

        ReconcileTotal = factory.CreateCounter("controller_runtime_reconcile_total",
            "Total number of reconciliations per controller and result.", "controller", "result");
        ReconcileErrors = factory.CreateCounter("controller_runtime_reconcile_errors_total",
            "Total number of reconciliation errors per controller.", "controller");
        TerminalReconcileErrors = factory.CreateCounter("controller_runtime_terminal_reconcile_errors_total",
            "Total number of terminal reconciliation errors per controller.", "controller");
        ReconcilePanics = factory.CreateCounter("controller_runtime_reconcile_panics_total",
            "Total number of reconciliations that threw an unexpected exception.", "controller");
        ReconcileTime = factory.CreateHistogram("controller_runtime_reconcile_time_seconds",
            "Length of time per reconciliation per controller.",
            new HistogramConfiguration { LabelNames = ["controller"], Buckets = DurationBuckets });
        ActiveWorkers = factory.CreateGauge("controller_runtime_active_workers",
            "Number of currently used workers per controller.", "controller");
        MaxConcurrentReconciles = factory.CreateGauge("controller_runtime_max_concurrent_reconciles",
            "Maximum number of concurrent reconciles per controller.", "controller");

        QueueDepth = factory.CreateGauge("workqueue_depth", "Current depth of the work queue.", "name", "controller");
        QueueAdds = factory.CreateCounter("workqueue_adds_total", "Total number of adds handled by the work queue.",
            "name", "controller");
        QueueLatency = factory.CreateHistogram("workqueue_queue_duration_seconds",
            "How long in seconds an item stays in the work queue before being requested.",
            new HistogramConfiguration { LabelNames = ["name", "controller"], Buckets = QueueBuckets });
        WorkDuration = factory.CreateHistogram("workqueue_work_duration_seconds",
            "How long in seconds processing an item from the work queue takes.",
            new HistogramConfiguration { LabelNames = ["name", "controller"], Buckets = QueueBuckets });
        QueueRetries = factory.CreateCounter("workqueue_retries_total", "Total number of retries handled by the work queue.",
            "name", "controller");

        WatchRestarts = factory.CreateCounter("informer_watch_restarts_total",
            "Watches re-established after a failure or expiry, per resource and reason.", "resource", "reason");
        Relists = factory.CreateCounter("informer_relists_total", "Full lists performed per resource.", "resource");
        InformerEvents = factory.CreateCounter("informer_events_total", "Watch events applied to the cache.", "resource", "type");
        CachedObjects = factory.CreateGauge("informer_cached_objects", "Objects held in the cache per resource.", "resource");
        InvalidObjects = factory.CreateGauge("informer_invalid_objects",
            "Objects stored on the server that cannot be read into their model and are left out of the cache, per resource.", "resource");
        InvalidObjectsSeen = factory.CreateCounter("informer_invalid_objects_total",
            "Versions of objects skipped because they cannot be read into their model, per resource.", "resource");

        LeaderStatus = factory.CreateGauge("leader_election_master_status",
            "1 while this instance holds the lease, 0 otherwise.", "name");
        LeaderTransitions = factory.CreateCounter("leader_election_transitions_total",
            "Leadership acquisitions and losses seen by this instance.", "name", "transition");
    }

    public CollectorRegistry Registry { get; }

    /// <summary>
    /// Exports a client's request counts as <c>rest_client_requests_total{code, method, host}</c> (client-go's name and
    /// labels), read at each scrape. One source per registry.
    /// </summary>
    public void Attach(RestClientRequests requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var counter = Prometheus.Metrics.WithCustomRegistry(Registry).CreateCounter("rest_client_requests_total",
            "Number of HTTP requests, partitioned by status code, method, and host.", "code", "method", "host");
        Registry.AddBeforeCollectCallback(() =>
        {
            foreach (var (code, method, host, count) in requests.Snapshot())
            {
                counter.WithLabels(code, method, host).IncTo(count);
            }
        });
    }

    public Counter ReconcileTotal { get; }

    public Counter ReconcileErrors { get; }

    public Counter TerminalReconcileErrors { get; }

    public Counter ReconcilePanics { get; }

    public Histogram ReconcileTime { get; }

    public Gauge ActiveWorkers { get; }

    public Gauge MaxConcurrentReconciles { get; }

    public Gauge QueueDepth { get; }

    public Counter QueueAdds { get; }

    public Histogram QueueLatency { get; }

    public Histogram WorkDuration { get; }

    public Counter QueueRetries { get; }

    public Counter WatchRestarts { get; }

    public Counter Relists { get; }

    public Counter InformerEvents { get; }

    public Gauge CachedObjects { get; }

    public Gauge InvalidObjects { get; }

    public Counter InvalidObjectsSeen { get; }

    public Gauge LeaderStatus { get; }

    public Counter LeaderTransitions { get; }

    public IWorkQueueMetrics ForQueue(string controller) => new QueueMetrics(this, controller);

    private sealed class QueueMetrics(RuntimeMetrics metrics, string controller) : IWorkQueueMetrics
    {
        private readonly Gauge.Child _depth = metrics.QueueDepth.WithLabels(controller, controller);
        private readonly Counter.Child _adds = metrics.QueueAdds.WithLabels(controller, controller);
        private readonly Histogram.Child _latency = metrics.QueueLatency.WithLabels(controller, controller);
        private readonly Histogram.Child _work = metrics.WorkDuration.WithLabels(controller, controller);
        private readonly Counter.Child _retries = metrics.QueueRetries.WithLabels(controller, controller);

        public void Added() => _adds.Inc();

        public void DepthChanged(int depth) => _depth.Set(depth);

        public void Waited(TimeSpan latency) => _latency.Observe(latency.TotalSeconds);

        public void Worked(TimeSpan duration) => _work.Observe(duration.TotalSeconds);

        public void Retried() => _retries.Inc();
    }
}
