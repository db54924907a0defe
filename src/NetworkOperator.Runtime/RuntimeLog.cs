using Microsoft.Extensions.Logging;

namespace NetworkOperator.Runtime;

/// <summary>
/// Every log line the runtime writes, source-generated so disabled levels cost nothing. Messages follow Kubernetes
/// style: capitalised, no trailing period, the object identified by structured keys rather than formatted text.
/// </summary>
internal static partial class RuntimeLog
{
    [LoggerMessage(1, LogLevel.Information, "Starting EventSource controller={Controller} source={Source}")]
    public static partial void StartingEventSource(ILogger logger, string controller, string source);

    [LoggerMessage(2, LogLevel.Information, "Starting workers controller={Controller} workerCount={WorkerCount}")]
    public static partial void StartingWorkers(ILogger logger, string controller, int workerCount);

    [LoggerMessage(3, LogLevel.Information, "Shutdown signal received, waiting for all workers to finish controller={Controller}")]
    public static partial void WaitingForWorkers(ILogger logger, string controller);

    [LoggerMessage(4, LogLevel.Warning, "Graceful shutdown timed out, cancelling in-flight reconciles controller={Controller}")]
    public static partial void ShutdownTimedOut(ILogger logger, string controller);

    [LoggerMessage(5, LogLevel.Information, "All workers finished controller={Controller}")]
    public static partial void WorkersFinished(ILogger logger, string controller);

    [LoggerMessage(6, LogLevel.Error,
        "Reconciler error controller={Controller} namespace={Namespace} name={Name} reconcileID={ReconcileId} terminal={Terminal} requeues={Requeues}")]
    public static partial void ReconcilerError(ILogger logger, Exception exception, string controller, string? @namespace,
        string name, string reconcileId, bool terminal, int requeues);

    [LoggerMessage(9, LogLevel.Debug,
        "Conflict writing a stale copy, retrying controller={Controller} namespace={Namespace} name={Name} reconcileID={ReconcileId} requeues={Requeues}")]
    public static partial void ReconcileConflict(ILogger logger, string controller, string? @namespace, string name, string reconcileId,
        int requeues);

    [LoggerMessage(10, LogLevel.Information,
        "Reconcile hit a transient API error, retrying controller={Controller} namespace={Namespace} name={Name} reconcileID={ReconcileId} requeues={Requeues} error={Error}")]
    public static partial void ReconcileTransientError(ILogger logger, string controller, string? @namespace, string name,
        string reconcileId, int requeues, string error);

    [LoggerMessage(7, LogLevel.Information, "Reconcile cancelled by shutdown controller={Controller} namespace={Namespace} name={Name}")]
    public static partial void ReconcileCancelled(ILogger logger, string controller, string? @namespace, string name);

    [LoggerMessage(8, LogLevel.Debug, "Reconciled controller={Controller} namespace={Namespace} name={Name} reconcileID={ReconcileId} result={Result}")]
    public static partial void Reconciled(ILogger logger, string controller, string? @namespace, string name, string reconcileId,
        string result);

    [LoggerMessage(20, LogLevel.Information, "Listed objects resource={Resource} count={Count} resourceVersion={ResourceVersion}")]
    public static partial void Listed(ILogger logger, string resource, int count, string? resourceVersion);

    [LoggerMessage(21, LogLevel.Information, "Watch expired, relisting resource={Resource} resourceVersion={ResourceVersion}")]
    public static partial void WatchExpired(ILogger logger, string resource, string? resourceVersion);

    [LoggerMessage(54, LogLevel.Warning, "Watch stream had an event that could not be decoded, relisting resource={Resource}")]
    public static partial void WatchCorrupt(ILogger logger, Exception exception, string resource);

    [LoggerMessage(55, LogLevel.Debug, "Watch closed resource={Resource} events={Events} resourceVersion={ResourceVersion}")]
    public static partial void WatchClosed(ILogger logger, string resource, int events, string? resourceVersion);

    [LoggerMessage(22, LogLevel.Warning, "Failed to list or watch, retrying resource={Resource} delay={Delay} error={Error}")]
    public static partial void WatchFailed(ILogger logger, string resource, TimeSpan delay, string error);

    [LoggerMessage(25, LogLevel.Debug, "List or watch failure detail resource={Resource}")]
    public static partial void WatchFailedDetail(ILogger logger, Exception exception, string resource);

    [LoggerMessage(26, LogLevel.Debug, "Watch closed without events right after opening, backing off resource={Resource} delay={Delay}")]
    public static partial void WatchTooShort(ILogger logger, string resource, TimeSpan delay);

    [LoggerMessage(27, LogLevel.Warning,
        "Skipping an object that cannot be read resource={Resource} namespace={Namespace} name={Name} field={Field} problem={Problem}")]
    public static partial void InvalidObject(ILogger logger, string resource, string? @namespace, string? name, string field, string problem);

    [LoggerMessage(23, LogLevel.Error, "Event handler failed resource={Resource} namespace={Namespace} name={Name}")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string resource, string? @namespace, string name);

    [LoggerMessage(24, LogLevel.Information, "Caches populated resource={Resource}")]
    public static partial void Synced(ILogger logger, string resource);

    [LoggerMessage(28, LogLevel.Information, "List continuation expired, listing everything at once resource={Resource} pagesRead={Pages}")]
    public static partial void ContinueExpired(ILogger logger, string resource, int pages);

    [LoggerMessage(30, LogLevel.Information, "Attempting to acquire leader lease lease={Lease} identity={Identity}")]
    public static partial void AcquiringLease(ILogger logger, string lease, string identity);

    [LoggerMessage(31, LogLevel.Information, "Successfully acquired lease lease={Lease} identity={Identity}")]
    public static partial void AcquiredLease(ILogger logger, string lease, string identity);

    [LoggerMessage(32, LogLevel.Warning, "Leader election lost lease={Lease} identity={Identity}")]
    public static partial void LostLease(ILogger logger, string lease, string identity);

    [LoggerMessage(33, LogLevel.Information, "Released lease lease={Lease} identity={Identity}")]
    public static partial void ReleasedLease(ILogger logger, string lease, string identity);

    [LoggerMessage(34, LogLevel.Warning, "Failed to update lease lease={Lease} identity={Identity}")]
    public static partial void LeaseUpdateFailed(ILogger logger, Exception exception, string lease, string identity);

    [LoggerMessage(35, LogLevel.Information, "New leader elected lease={Lease} leader={Leader}")]
    public static partial void NewLeader(ILogger logger, string lease, string leader);

    [LoggerMessage(40, LogLevel.Information, "Starting manager leaderElection={LeaderElection}")]
    public static partial void StartingManager(ILogger logger, bool leaderElection);

    [LoggerMessage(41, LogLevel.Information, "Serving endpoint kind={Kind} address={Address}")]
    public static partial void ServingEndpoint(ILogger logger, string kind, string address);

    [LoggerMessage(42, LogLevel.Information, "Stopping and waiting for controllers")]
    public static partial void StoppingControllers(ILogger logger);

    [LoggerMessage(43, LogLevel.Error, "Controller failed controller={Controller}")]
    public static partial void ControllerFailed(ILogger logger, Exception exception, string controller);

    [LoggerMessage(50, LogLevel.Information, "Created object kind={Kind} namespace={Namespace} name={Name}")]
    public static partial void Created(ILogger logger, string kind, string? @namespace, string name);

    [LoggerMessage(51, LogLevel.Information, "Updated object kind={Kind} namespace={Namespace} name={Name} revision={Revision}")]
    public static partial void Updated(ILogger logger, string kind, string? @namespace, string name, string revision);

    [LoggerMessage(52, LogLevel.Information, "Updated status kind={Kind} namespace={Namespace} name={Name}")]
    public static partial void StatusUpdated(ILogger logger, string kind, string? @namespace, string name);

    [LoggerMessage(53, LogLevel.Warning, "Failed to record event kind={Kind} namespace={Namespace} name={Name} reason={Reason}")]
    public static partial void EventFailed(ILogger logger, Exception exception, string kind, string? @namespace, string name, string reason);

    [LoggerMessage(54, LogLevel.Warning, "API server warning warning={Warning} verb={Verb} path={Path}")]
    public static partial void ApiWarning(ILogger logger, string verb, string path, string warning);

    [LoggerMessage(60, LogLevel.Warning, "Could not check access to the metrics endpoint review={Review} error={Error}")]
    public static partial void MetricsAccessCheckFailed(ILogger logger, string review, string error);
}
