using Microsoft.Extensions.Logging;

namespace NetworkOperator.Controllers.Upgrade;

/// <summary>Source-generated log messages of the upgrade flow.</summary>
internal static partial class UpgradeLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Message}")]
    public static partial void EvictionBlocked(ILogger logger, string message);
}
