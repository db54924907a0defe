using Microsoft.Extensions.Logging;
using NetworkOperator.Cli.Logging;

namespace NetworkOperator.Cli.Commands;

/// <summary>The log settings one <c>run</c> command line asks for.</summary>
internal sealed record LogSettings(LogLevel MinimumLevel, bool Json, ZapTimeEncoding TimeEncoding = ZapTimeEncoding.Rfc3339)
{
    public void Configure(ILoggingBuilder builder)
    {
        builder.SetMinimumLevel(MinimumLevel);
        builder.AddProvider(new ZapLoggerProvider(Console.Out, Json, TimeEncoding, TimeProvider.System));
    }
}
