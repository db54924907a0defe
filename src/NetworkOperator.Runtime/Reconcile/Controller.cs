using Microsoft.Extensions.Logging;
using NetworkOperator.Runtime.Client;
using NetworkOperator.Runtime.Metrics;
using NetworkOperator.Runtime.Queue;

namespace NetworkOperator.Runtime.Reconcile;

/// <summary>
/// Runs a reconciler over a rate-limited work queue fed by watch sources (controller-runtime's internal controller).
/// A controller can be started again after it stopped (for example when leadership is regained); each run gets a
/// fresh queue whose sources replay the current cache, so nothing is lost between runs.
/// </summary>
public sealed class Controller
{
    private readonly IReconciler _reconciler;
    private readonly IReadOnlyList<IWatchSource> _sources;
    private readonly ControllerOptions _options;
    private readonly RuntimeMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private volatile WorkQueue<ObjectKey>? _queue;

    public Controller(string name, IReconciler reconciler, IReadOnlyList<IWatchSource> sources, ControllerOptions? options = null,
        RuntimeMetrics? metrics = null, ILoggerFactory? loggerFactory = null, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(reconciler);
        ArgumentNullException.ThrowIfNull(sources);
        Name = name;
        _reconciler = reconciler;
        _sources = sources;
        _options = options ?? new ControllerOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxConcurrentReconciles, 1);
        _metrics = metrics ?? new RuntimeMetrics();
        _logger = (loggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance)
            .CreateLogger("NetworkOperator.Runtime.Controller");
        _time = time ?? TimeProvider.System;
    }

    public string Name { get; }

    /// <summary>The options the controller runs with (workers, pacing, timeout).</summary>
    public ControllerOptions Options => _options;

    /// <summary>How long in-flight reconciles may finish after stop is requested before they are cancelled.</summary>
    public TimeSpan GracefulShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public IReadOnlyList<IWatchSource> Sources => _sources;

    /// <summary>True while workers run (between start and the end of the drain).</summary>
    public bool IsRunning => _queue is not null;

    /// <summary>The queue of the current run, or null when stopped.</summary>
    public WorkQueue<ObjectKey>? Queue => _queue;

    /// <summary>Queues <paramref name="key"/> if the controller is running (an external trigger).</summary>
    public void Enqueue(ObjectKey key) => _queue?.Add(key);

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> fires; then stops taking keys, lets in-flight reconciles
    /// finish for up to <see cref="GracefulShutdownTimeout"/>, and cancels them after that.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var limiter = _options.RateLimiter?.Invoke(_time) ?? RateLimiters.Default<ObjectKey>(_time);
        using var queue = new WorkQueue<ObjectKey>(_time, limiter, _metrics.ForQueue(Name));
        using var hardStop = new CancellationTokenSource();
        var subscriptions = new List<IDisposable>();
        _queue = queue;
        try
        {
            foreach (var source in _sources)
            {
                RuntimeLog.StartingEventSource(_logger, Name, source.Description);
                subscriptions.Add(source.Start(queue));
            }

            _metrics.MaxConcurrentReconciles.WithLabels(Name).Set(_options.MaxConcurrentReconciles);
            RuntimeLog.StartingWorkers(_logger, Name, _options.MaxConcurrentReconciles);
            var workers = Enumerable.Range(0, _options.MaxConcurrentReconciles)
                .Select(_ => Task.Run(() => WorkerAsync(queue, cancellationToken, hardStop.Token), CancellationToken.None))
                .ToArray();

            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            RuntimeLog.WaitingForWorkers(_logger, Name);
            foreach (var subscription in subscriptions)
            {
                subscription.Dispose();
            }

            subscriptions.Clear();
            queue.ShutDown();
            var all = Task.WhenAll(workers);
            try
            {
                await all.WaitAsync(GracefulShutdownTimeout, _time, CancellationToken.None).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                RuntimeLog.ShutdownTimedOut(_logger, Name);
                await hardStop.CancelAsync().ConfigureAwait(false);
                await all.ConfigureAwait(false);
            }

            RuntimeLog.WorkersFinished(_logger, Name);
        }
        finally
        {
            foreach (var subscription in subscriptions)
            {
                subscription.Dispose();
            }

            _queue = null;
        }
    }

    private async Task WorkerAsync(WorkQueue<ObjectKey> queue, CancellationToken stop, CancellationToken hardStop)
    {
        while (!stop.IsCancellationRequested)
        {
            ObjectKey key;
            try
            {
                (key, var shutDown) = await queue.GetAsync(stop).ConfigureAwait(false);
                if (shutDown)
                {
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                var began = _time.GetTimestamp();
                var busy = await ReconcileOneAsync(queue, key, hardStop).ConfigureAwait(false);

                // Paced with the key still held: adds meanwhile only mark it dirty, and Done queues it once.
                var took = _time.GetElapsedTime(began);
                if (!busy && Pacing(took) is { } least && least - took is var left && left > TimeSpan.Zero)
                {
                    try
                    {
                        await Task.Delay(left, _time, stop).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }
            }
            finally
            {
                queue.Done(key);
            }
        }
    }

    // The least time from a reconcile's start to the next one's, given how long it took (null: no pacing).
    private TimeSpan? Pacing(TimeSpan took)
    {
        if (_options.IdleShare is not { } share || share is <= 0 or > 1)
        {
            return _options.MinInterval;
        }

        var byShare = TimeSpan.FromTicks(Math.Min((long)(took.Ticks / share), _options.IdleShareLimit.Ticks));
        return _options.MinInterval is { } least && least > byShare ? least : byShare;
    }

    // Returns whether the reconciler reported work under way (see ReconcileResult.Busy).
    private async Task<bool> ReconcileOneAsync(WorkQueue<ObjectKey> queue, ObjectKey key, CancellationToken hardStop)
    {
        var busy = false;
        var reconcileId = Guid.NewGuid().ToString();
        using var scope = _logger.BeginScope(new Dictionary<string, object?>
        {
            ["controller"] = Name,
            ["namespace"] = key.Namespace,
            ["name"] = key.Name,
            ["reconcileID"] = reconcileId,
        });
        var active = _metrics.ActiveWorkers.WithLabels(Name);
        active.Inc();
        var started = _time.GetTimestamp();
        using var timeout = _options.ReconcileTimeout is { } limit ? new CancellationTokenSource(limit, _time) : null;
        using var linked = timeout is null
            ? CancellationTokenSource.CreateLinkedTokenSource(hardStop)
            : CancellationTokenSource.CreateLinkedTokenSource(hardStop, timeout.Token);
        string outcome;
        try
        {
            var result = await _reconciler.ReconcileAsync(key, linked.Token).ConfigureAwait(false);
            busy = result.Busy;
            if (result.RequeueAfter is { } after && after > TimeSpan.Zero)
            {
                queue.Forget(key);
                queue.AddAfter(key, after);
                outcome = "requeue_after";
            }
            else if (result.Requeue)
            {
                queue.AddRateLimited(key);
                outcome = "requeue";
            }
            else
            {
                queue.Forget(key);
                outcome = "success";
            }
        }
        catch (TerminalReconcileException ex)
        {
            // Retrying cannot help; a later change to a watched object brings the key back.
            queue.Forget(key);
            _metrics.ReconcileErrors.WithLabels(Name).Inc();
            _metrics.TerminalReconcileErrors.WithLabels(Name).Inc();
            RuntimeLog.ReconcilerError(_logger, ex, Name, key.Namespace, key.Name, reconcileId, true, 0);
            outcome = "error";
        }
        catch (OperationCanceledException) when (hardStop.IsCancellationRequested)
        {
            RuntimeLog.ReconcileCancelled(_logger, Name, key.Namespace, key.Name);
            outcome = "error";
        }
        catch (Exception ex)
        {
            queue.AddRateLimited(key);
            _metrics.ReconcileErrors.WithLabels(Name).Inc();
            if (ex is not OperationCanceledException)
            {
                _metrics.ReconcilePanics.WithLabels(Name).Inc();
            }

            var requeues = queue.NumRequeues(key);
            if (ApiErrors.IsConflict(ex))
            {
                // A stale cached copy lost an optimistic-concurrency race; the retry reads the newer one. Routine.
                RuntimeLog.ReconcileConflict(_logger, Name, key.Namespace, key.Name, reconcileId, requeues);
            }
            else if (ApiErrors.IsTransient(ex))
            {
                RuntimeLog.ReconcileTransientError(_logger, Name, key.Namespace, key.Name, reconcileId, requeues, ApiErrors.Describe(ex));
            }
            else
            {
                RuntimeLog.ReconcilerError(_logger, ex, Name, key.Namespace, key.Name, reconcileId, false, requeues);
            }

            outcome = "error";
        }
        finally
        {
            active.Dec();
        }

        RuntimeLog.Reconciled(_logger, Name, key.Namespace, key.Name, reconcileId, outcome);
        _metrics.ReconcileTotal.WithLabels(Name, outcome).Inc();
        _metrics.ReconcileTime.WithLabels(Name).Observe(_time.GetElapsedTime(started).TotalSeconds);
        return busy;
    }
}
