using System.Globalization;

namespace NetworkOperator.Cli.Logging;

/// <summary>zap's time encoders, by the names controller-runtime's <c>--zap-time-encoding</c> accepts.</summary>
internal enum ZapTimeEncoding
{
    Epoch,
    Millis,
    Nano,
    Iso8601,
    Rfc3339,
    Rfc3339Nano,
}

internal static class ZapTime
{
    public static readonly string[] Names = ["epoch", "millis", "nano", "iso8601", "rfc3339", "rfc3339nano"];

    public static ZapTimeEncoding Parse(string name) => (ZapTimeEncoding)Array.IndexOf(Names, name);

    /// <summary>epoch, millis and nano are numbers (JSON numbers too); the others are strings.</summary>
    public static bool IsNumber(ZapTimeEncoding encoding) => encoding is ZapTimeEncoding.Epoch or ZapTimeEncoding.Millis or ZapTimeEncoding.Nano;

    /// <summary>The time as zap writes it, in UTC (zap writes local time; containers run in UTC).</summary>
    public static string Format(DateTimeOffset time, ZapTimeEncoding encoding)
    {
        var utc = time.UtcDateTime;
        var sinceEpoch = utc - DateTime.UnixEpoch;
        return encoding switch
        {
            ZapTimeEncoding.Epoch => (sinceEpoch.Ticks / (double)TimeSpan.TicksPerSecond).ToString("0.#######", CultureInfo.InvariantCulture),
            ZapTimeEncoding.Millis => (sinceEpoch.Ticks / (double)TimeSpan.TicksPerMillisecond).ToString("0.####", CultureInfo.InvariantCulture),
            ZapTimeEncoding.Nano => (sinceEpoch.Ticks * 100).ToString(CultureInfo.InvariantCulture),
            ZapTimeEncoding.Iso8601 => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ZapTimeEncoding.Rfc3339 => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            // Go trims trailing zeros of the fraction, and the dot with them; .NET's F specifier does the same.
            _ => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        };
    }
}
