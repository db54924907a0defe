using Microsoft.Extensions.Logging;

namespace NetworkOperator.Cli.Commands;

/// <summary>The log settings one <c>run</c> command line asks for.</summary>
internal sealed record LogSettings(LogLevel MinimumLevel, bool Json)
{
    public void Configure(ILoggingBuilder builder)
    {
        builder.SetMinimumLevel(MinimumLevel);
        if (Json)
        {
            builder.AddJsonConsole();
        }
        else
        {
            builder.AddSimpleConsole(o => o.SingleLine = true);
        }
    }
}
