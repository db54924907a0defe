using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace NetworkOperator.Cli.Logging;

/// <summary>
/// Console logging in the shape of controller-runtime's zap: one line per entry with its time, level, logger and
/// message — tab-separated (<c>console</c>) or one JSON object with <c>ts</c>, <c>level</c>, <c>logger</c>, <c>msg</c>
/// and the entry's fields (<c>json</c>). Written whole per line so concurrent entries never interleave.
/// </summary>
internal sealed class ZapLoggerProvider(TextWriter output, bool json, ZapTimeEncoding timeEncoding, TimeProvider time) : ILoggerProvider
{
    private readonly ConcurrentDictionary<string, ZapLogger> _loggers = new(StringComparer.Ordinal);
    private readonly Lock _write = new();

    public ILogger CreateLogger(string categoryName) => _loggers.GetOrAdd(categoryName, name => new ZapLogger(this, name));

    public void Dispose()
    {
        lock (_write)
        {
            output.Flush();
        }
    }

    /// <summary>The text of one entry (public for tests of the format).</summary>
    public string Format(DateTimeOffset at, LogLevel level, string category, string message, IEnumerable<KeyValuePair<string, object?>> fields, Exception? exception)
    {
        var stamp = ZapTime.Format(at, timeEncoding);
        if (!json)
        {
            var line = new StringBuilder().Append(stamp).Append('\t').Append(LevelName(level).ToUpperInvariant()).Append('\t')
                .Append(category).Append('\t').Append(message.ReplaceLineEndings(" "));
            if (exception is not null)
            {
                line.Append('\n').Append(exception);
            }

            return line.ToString();
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("level", LevelName(level));
            if (ZapTime.IsNumber(timeEncoding))
            {
                writer.WritePropertyName("ts");
                writer.WriteRawValue(stamp);
            }
            else
            {
                writer.WriteString("ts", stamp);
            }

            writer.WriteString("logger", category);
            writer.WriteString("msg", message);
            foreach (var (key, value) in fields)
            {
                if (key is "{OriginalFormat}" or "level" or "ts" or "logger" or "msg")
                {
                    continue;
                }

                writer.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
            }

            if (exception is not null)
            {
                writer.WriteString("error", exception.Message);
                writer.WriteString("stacktrace", exception.ToString());
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    // zap's level names; .NET's Trace is a finer debug, Critical is zap's panic.
    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "error",
        _ => "panic",
    };

    private void Write(string line)
    {
        lock (_write)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }

    private sealed class ZapLogger(ZapLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        // The minimum level is applied by the logging builder's filter, as for every provider.
        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var fields = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
            provider.Write(provider.Format(provider.Now(), logLevel, category, formatter(state, exception), fields, exception));
        }
    }

    private DateTimeOffset Now() => time.GetUtcNow();
}
