using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;
using NetworkOperator.Cli.Logging;

namespace NetworkOperator.Cli.Commands;

/// <summary>
/// controller-runtime's zap flags, which upstream's operator accepts: manifests and scripts that pass them keep
/// working. <c>--zap-log-level</c>, <c>--zap-encoder</c> and
/// <c>--zap-time-encoding</c> (default rfc3339, as controller-runtime's) take effect; <c>--zap-stacktrace-level</c> is
/// checked and accepted but exceptions are always logged with their stack (docs/operator.md).
/// </summary>
internal sealed class ZapLogging
{
    private static readonly string[] StacktraceLevels = ["info", "error", "panic"];

    public Option<string?> Level { get; } = new("--zap-log-level")
    {
        Description = "Log verbosity: debug, info, error, panic, or an integer > 0 for more detailed debug output.",
    };

    public Option<bool> Devel { get; } = new("--zap-devel")
    {
        Description = "Development mode: debug level unless --zap-log-level says otherwise.",
    };

    public Option<string?> Encoder { get; } = new("--zap-encoder")
    {
        Description = "Log format: console (one line per entry) or json.",
    };

    public Option<string?> StacktraceLevel { get; } = new("--zap-stacktrace-level")
    {
        Description = "Accepted for compatibility with upstream (info, error, panic); exceptions are always logged with their stack.",
    };

    public Option<string?> TimeEncoding { get; } = new("--zap-time-encoding")
    {
        Description = "Time format of log lines: epoch, millis, nano, iso8601, rfc3339 (default) or rfc3339nano.",
    };

    public IEnumerable<Option> All => [Level, Devel, Encoder, StacktraceLevel, TimeEncoding];

    public LogSettings Resolve(ParseResult parseResult)
    {
        var level = parseResult.GetValue(Level) is { } text
            ? ParseLevel(text)
            : parseResult.GetValue(Devel) ? LogLevel.Debug : LogLevel.Information;
        var json = parseResult.GetValue(Encoder) switch
        {
            null or "console" => false,
            "json" => true,
            var other => throw new UserErrorException($"--zap-encoder: \"{other}\" is not one of console, json"),
        };
        Check(parseResult.GetValue(StacktraceLevel), "--zap-stacktrace-level", StacktraceLevels);
        var time = parseResult.GetValue(TimeEncoding);
        Check(time, "--zap-time-encoding", ZapTime.Names);
        return new LogSettings(level, json, time is null ? ZapTimeEncoding.Rfc3339 : ZapTime.Parse(time));
    }

    // zap's levels; a positive integer is a debug verbosity, where 1 is plain debug and more is everything.
    private static LogLevel ParseLevel(string text) => text switch
    {
        "debug" => LogLevel.Debug,
        "info" => LogLevel.Information,
        "error" => LogLevel.Error,
        "panic" => LogLevel.Critical,
        _ when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var verbosity) && verbosity > 0 =>
            verbosity == 1 ? LogLevel.Debug : LogLevel.Trace,
        _ => throw new UserErrorException($"--zap-log-level: \"{text}\" is not one of debug, info, error, panic or an integer > 0"),
    };

    private static void Check(string? value, string flag, string[] allowed)
    {
        if (value is not null && !allowed.Contains(value, StringComparer.Ordinal))
        {
            throw new UserErrorException($"{flag}: \"{value}\" is not one of {string.Join(", ", allowed)}");
        }
    }
}
