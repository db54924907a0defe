using Microsoft.Extensions.Logging;
using NetworkOperator.Cli.Logging;

namespace NetworkOperator.Cli.Commands;

/// <summary>The log settings one <c>run</c> command line asks for.</summary>
internal sealed record LogSettings(LogLevel MinimumLevel, bool Json, ZapTimeEncoding TimeEncoding = ZapTimeEncoding.Rfc3339)
{
    /// <summary>
    /// Kestrel's and ASP.NET Core's own categories (the probe, metrics and webhook servers). At info they log six lines
    /// per request, so the kubelet's probes alone would fill the log; like controller-runtime, the operator keeps request
    /// lines out unless asked for debug output (request lines) or more (everything).
    /// </summary>
    public const string AspNetCoreCategory = "Microsoft.AspNetCore";

    public void Configure(ILoggingBuilder builder) => Configure(builder, Console.Out);

    public void Configure(ILoggingBuilder builder, TextWriter output)
    {
        builder.SetMinimumLevel(MinimumLevel);
        builder.AddFilter(AspNetCoreCategory, MinimumLevel switch
        {
            LogLevel.Trace => LogLevel.Trace,
            LogLevel.Debug => LogLevel.Information,
            _ => LogLevel.Warning,
        });
        builder.AddProvider(new ZapLoggerProvider(output, Json, TimeEncoding, TimeProvider.System));
    }
}
