using Microsoft.Extensions.Logging;

namespace NetworkOperator.Controllers;

/// <summary>Source-generated log messages of the controllers (quiet in steady state: writes and failures only).</summary>
internal static partial class ControllersLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "{Resource} is not served by this cluster; its objects are neither rendered nor swept")]
    public static partial void KindNotServed(ILogger logger, string resource);

    [LoggerMessage(EventId = 99, Level = LogLevel.Error, Message = "{Resources} not served: the operator's CustomResourceDefinitions are not installed. "
        + "Install them (the Helm chart does; or `network-operator crds | kubectl apply -f -`; or start with --install-crds); the operator waits for them")]
    public static partial void OwnKindsNotServed(ILogger logger, string resources);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "{Verb} {Object} (state {State})")]
    public static partial void Wrote(ILogger logger, string verb, object @object, string state);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "state {State} of {Owner}: {Message}")]
    public static partial void StateFailed(ILogger logger, string state, string owner, string message);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "{Kind}/{Name} status: {State}")]
    public static partial void StatusWritten(ILogger logger, string kind, string name, string? state);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "node {Node}: {Changes}")]
    public static partial void NodeLabelled(ILogger logger, string node, IReadOnlyDictionary<string, string?> changes);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "status of {Owner} not written: {Message}")]
    public static partial void StatusWriteFailed(ILogger logger, string owner, string message);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "{Verb} CRD {Name}")]
    public static partial void CrdWritten(ILogger logger, string verb, string name);

    [LoggerMessage(EventId = 107, Level = LogLevel.Information, Message = "platform {Platform}; operator namespace {Namespace}; watching {Kinds} managed kinds")]
    public static partial void Starting(ILogger logger, NetworkOperator.Rendering.ClusterType platform, string @namespace, int kinds);

    [LoggerMessage(EventId = 108, Level = LogLevel.Debug, Message = "status of {Kind}/{Name} not written: the cached copy was stale; retrying")]
    public static partial void StatusConflict(ILogger logger, string kind, string name);

    [LoggerMessage(EventId = 109, Level = LogLevel.Information, Message = "restoring {Object} (state {State}): {Field} was changed or removed by someone else")]
    public static partial void Restoring(ILogger logger, object @object, string state, string field);

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "start-up read failed (attempt {Attempt}), retrying in {Delay}: {Operation}: {Error}")]
    public static partial void StartupRetry(ILogger logger, int attempt, TimeSpan delay, string operation, string error);

    [LoggerMessage(EventId = 112, Level = LogLevel.Information, Message = "{Resource} is now served by this cluster; restarting the controllers to watch it")]
    public static partial void KindNowServed(ILogger logger, string resource);

    [LoggerMessage(EventId = 111, Level = LogLevel.Debug, Message = "pass ended without creating more objects: {Reason}")]
    public static partial void OwnerChanged(ILogger logger, string reason);

    /// <summary>A pass ended because its owner was deleted or edited meanwhile (see the policy and network reconcilers).</summary>
    public static void PassEnded(ILoggerFactory factory, string category, string reason)
    {
        var logger = factory.CreateLogger(category);
        OwnerChanged(logger, reason);
    }
}
