using Microsoft.Extensions.Logging;

namespace NetworkOperator.Controllers.Upgrade;

/// <summary>Source-generated log messages of the upgrade flow.</summary>
internal static partial class UpgradeLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Message}")]
    public static partial void EvictionBlocked(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Requestor mode: {Message}")]
    public static partial void Maintenance(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Draining node {Node} for the driver upgrade of {Policy}")]
    public static partial void DrainStarting(ILogger logger, string node, string policy);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Driver upgrade of node {Node} ({Policy}) failed: {Reason}")]
    public static partial void NodeFailed(ILogger logger, string node, string policy, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Driver upgrade pass of {Policy} stalled: {Reason}")]
    public static partial void Stalled(ILogger logger, string policy, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Driver upgrade of {Policy}: {Actions} action(s); nodes per state: {Counts}")]
    public static partial void Pass(ILogger logger, string policy, int actions, string counts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write status.upgrade of {Policy}: {Status} {Body}")]
    public static partial void StatusWriteFailed(ILogger logger, string policy, int status, string body);
}
