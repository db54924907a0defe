using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace NetworkOperator.Simulator.ApiServer;

/// <summary>
/// Admission warnings as the real server sends them: one <c>Warning: 299 - "text"</c> header each (the text quoted
/// as Go's strconv.Quote does), which kubectl prints as <c>Warning: text</c> and client libraries surface.
/// </summary>
internal static class WarningHeaders
{
    public static void Write(HttpResponse response, IEnumerable<string> warnings)
    {
        foreach (var warning in warnings.Distinct(StringComparer.Ordinal))
        {
            response.Headers.Append("Warning", "299 - " + Quote(warning));
        }
    }

    private static string Quote(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case < ' ' or > '~':
                    builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.Append('"').ToString();
    }
}
