using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace NetworkOperator.Runtime.Metrics;

/// <summary>
/// Counts the client's API requests by status code, method and host, the data behind client-go's
/// <c>rest_client_requests_total</c> that controller-runtime operators export: it is how an update storm (or a
/// steady trickle of reads) shows on a dashboard. The counts live with the client, which outlives a manager that is
/// restarted in the same process, so each manager's registry reads them at scrape time
/// (<see cref="RuntimeMetrics.Attach"/>) and the counter never goes back to zero while the process runs.
/// </summary>
public sealed class RestClientRequests : DelegatingHandler
{
    /// <summary>
    /// client-go's code label for a request that got no response (connection refused or reset). A cancelled request is
    /// not counted: below HttpClient the client's timeout and a caller giving up (a watch closed on shutdown) look alike.
    /// </summary>
    public const string NoResponse = "<error>";

    private readonly ConcurrentDictionary<(string Code, string Method, string Host), StrongBox<long>> _counts = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var host = request.RequestUri?.IsAbsoluteUri == true ? request.RequestUri.Authority : "";
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            Count(NoResponse, request.Method.Method, host);
            throw;
        }

        Count(((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), request.Method.Method, host);
        return response;
    }

    /// <summary>The counts so far, one entry per (code, method, host).</summary>
    public IEnumerable<(string Code, string Method, string Host, long Count)> Snapshot() =>
        _counts.Select(entry => (entry.Key.Code, entry.Key.Method, entry.Key.Host, Interlocked.Read(ref entry.Value.Value)));

    private void Count(string code, string method, string host) =>
        Interlocked.Increment(ref _counts.GetOrAdd((code, method, host), static _ => new StrongBox<long>()).Value);
}
