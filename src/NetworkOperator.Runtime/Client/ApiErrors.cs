using System.Net;
using k8s;
using k8s.Autorest;

namespace NetworkOperator.Runtime.Client;

/// <summary>Classifies API failures the way controllers need to branch on them.</summary>
public static class ApiErrors
{
    public static HttpStatusCode? StatusOf(Exception exception) => exception switch
    {
        HttpOperationException http => http.Response?.StatusCode,
        KubernetesException k8s when k8s.Status?.Code is { } code => (HttpStatusCode)code,
        _ => null,
    };

    public static bool IsNotFound(Exception exception) => StatusOf(exception) == HttpStatusCode.NotFound;

    /// <summary>
    /// A 404 about the namespace the object was written to, not the object itself: the server names the namespace in
    /// the Status's <c>details.kind</c>. Controllers writing into a namespace the user chose turn it into a hint.
    /// </summary>
    public static bool IsNamespaceNotFound(Exception exception) =>
        IsNotFound(exception) && DetailsKind(exception) == "namespaces";

    /// <summary>
    /// A 404 that names no object: the path itself is not served (a CRD deleted, or not yet known to the cache's
    /// discovery). Custom resource paths get Go's plain-text 404, built-in groups a Status with empty details; a 404
    /// about an object or its namespace names it.
    /// </summary>
    public static bool IsKindNotServed(Exception exception) =>
        IsNotFound(exception) && string.IsNullOrEmpty(DetailsKind(exception)) && string.IsNullOrEmpty(DetailsName(exception));

    /// <summary>409 from a stale <c>resourceVersion</c> or a create of an existing name.</summary>
    public static bool IsConflict(Exception exception) => StatusOf(exception) == HttpStatusCode.Conflict;

    /// <summary>410 Gone: the requested resourceVersion is older than the server's history.</summary>
    public static bool IsExpired(Exception exception) => StatusOf(exception) == HttpStatusCode.Gone;

    /// <summary>
    /// A failure that goes away by itself when the call is repeated: the server shedding load (429), failing for the
    /// moment (500, 502, 503, 504), or the connection failing. Nobody needs to act on it.
    /// </summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        HttpRequestException or IOException or TimeoutException => true,
        _ when StatusOf(exception) is { } code => code is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout,
        _ => exception.InnerException is { } inner && IsTransient(inner),
    };

    /// <summary>
    /// One line for a failed API call, without a stack trace: the HTTP status and the server's message, or the
    /// transport failure (refused, unreachable, timed out) with its innermost cause.
    /// </summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        switch (exception)
        {
            case HttpOperationException http when http.Response is { } response:
                var body = response.Content;
                var message = TryStatusMessage(body) ?? ShortText(body);
                return $"{(int)response.StatusCode} {response.StatusCode}{(message is null ? string.Empty : ": " + message)}";
            case KubernetesException k8s when k8s.Status is { } status:
                return $"{status.Code} {status.Reason}: {status.Message}";
        }

        var innermost = exception;
        while (innermost.InnerException is { } inner)
        {
            innermost = inner;
        }

        var text = innermost == exception ? exception.Message : $"{exception.Message} ({innermost.Message})";
        return text.ReplaceLineEndings(" ");
    }

    private static string? DetailsKind(Exception exception) => exception switch
    {
        KubernetesException k8s => k8s.Status?.Details?.Kind,
        HttpOperationException http => StatusField(http.Response?.Content, "details", "kind"),
        _ => null,
    };

    private static string? DetailsName(Exception exception) => exception switch
    {
        KubernetesException k8s => k8s.Status?.Details?.Name,
        HttpOperationException http => StatusField(http.Response?.Content, "details", "name"),
        _ => null,
    };

    // A body that is not a Status (Go's "404 page not found", a proxy's one-line answer) is worth quoting when short.
    private static string? ShortText(string? body) =>
        body?.Trim() is { Length: > 0 and <= 200 } text && !text.StartsWith('{') && !text.StartsWith('<') ? text.ReplaceLineEndings(" ") : null;

    private static string? TryStatusMessage(string? body) => StatusField(body, "message")?.ReplaceLineEndings(" ");

    // A string at path in a Status body the client left undecoded (HttpOperationException keeps the raw text).
    private static string? StatusField(string? body, params string[] path)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(body);
            var element = document.RootElement;
            foreach (var name in path)
            {
                if (element.ValueKind != System.Text.Json.JsonValueKind.Object || !element.TryGetProperty(name, out element))
                {
                    return null;
                }
            }

            return element.ValueKind == System.Text.Json.JsonValueKind.String ? element.GetString() : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
