using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace NetworkOperator.Runtime.Client;

/// <summary>
/// Logs the warnings the API server attaches to responses (<c>Warning: 299 - "text"</c>): fields a kind does not have
/// that the server dropped, deprecated APIs, PodSecurity levels a workload would violate. KubernetesClient ignores
/// them, so without this an object the operator renders could lose a field on every write and nobody would know.
/// Each distinct text is logged once per process (client-go's deduplicating warning logger), so a reconcile loop
/// repeating the same write does not flood the log.
/// </summary>
public sealed class ApiWarningLogger(ILogger logger) : DelegatingHandler
{
    private const int MaxRemembered = 1024;
    private readonly ConcurrentDictionary<string, byte> _seen = new(StringComparer.Ordinal);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Headers.TryGetValues("Warning", out var values))
        {
            foreach (var text in values.SelectMany(Parse))
            {
                if (_seen.Count < MaxRemembered ? _seen.TryAdd(text, 0) : !_seen.ContainsKey(text))
                {
                    RuntimeLog.ApiWarning(logger, request.Method.Method, request.RequestUri?.AbsolutePath ?? "", text);
                }
            }
        }

        return response;
    }

    /// <summary>The texts of a Warning header value: <c>code agent "text" ["date"]</c> entries separated by commas.</summary>
    public static IEnumerable<string> Parse(string header)
    {
        var texts = new List<string>();
        var i = 0;
        while (i < header.Length)
        {
            var quote = header.IndexOf('"', i);
            if (quote < 0)
            {
                break;
            }

            var text = new StringBuilder();
            i = quote + 1;
            while (i < header.Length && header[i] != '"')
            {
                if (header[i] == '\\' && i + 1 < header.Length)
                {
                    i++;
                }

                text.Append(header[i++]);
            }

            texts.Add(text.ToString());
            // Skip an optional quoted date, then the comma before the next entry.
            var comma = header.IndexOf(',', Math.Min(i + 1, header.Length));
            var nextQuote = header.IndexOf('"', Math.Min(i + 1, header.Length));
            i = comma < 0 ? header.Length : nextQuote >= 0 && nextQuote < comma ? SkipDate(header, nextQuote) : comma + 1;
        }

        return texts;
    }

    private static int SkipDate(string header, int openingQuote)
    {
        var closing = header.IndexOf('"', openingQuote + 1);
        var comma = closing < 0 ? -1 : header.IndexOf(',', closing);
        return comma < 0 ? header.Length : comma + 1;
    }
}
