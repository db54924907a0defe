using Microsoft.Extensions.Logging;

namespace NetworkOperator.Controllers.OpenShift;

/// <summary>Log messages of the OpenShift cluster facts.</summary>
internal static partial class OpenShiftLog
{
    [LoggerMessage(EventId = 170, Level = LogLevel.Warning, Message = "ImageStream {Namespace}/{Name} not found: the driver cannot be built with the Driver Toolkit")]
    public static partial void ToolkitMissing(ILogger logger, string @namespace, string name);

    [LoggerMessage(EventId = 171, Level = LogLevel.Information, Message = "created ConfigMap {Namespace}/{Name} for OpenShift to inject the cluster's trusted CA bundle into")]
    public static partial void TrustedCaCreated(ILogger logger, string @namespace, string name);

    [LoggerMessage(EventId = 172, Level = LogLevel.Warning, Message = "ConfigMap {Namespace}/{Name} has no trusted CA bundle yet (OpenShift fills it): the driver container may not trust the proxy's certificate")]
    public static partial void TrustedCaEmpty(ILogger logger, string @namespace, string name);
}
