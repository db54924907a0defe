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

    /// <summary>409 from a stale <c>resourceVersion</c> or a create of an existing name.</summary>
    public static bool IsConflict(Exception exception) => StatusOf(exception) == HttpStatusCode.Conflict;

    /// <summary>410 Gone: the requested resourceVersion is older than the server's history.</summary>
    public static bool IsExpired(Exception exception) => StatusOf(exception) == HttpStatusCode.Gone;
}
