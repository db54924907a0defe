using Microsoft.AspNetCore.Http;
using NetworkOperator.Simulator.ApiServer;

namespace NetworkOperator.Simulator.Auth;

/// <summary>The authorization attributes of a resource URL, as the real server's request-info parsing derives them.</summary>
internal static class RequestAttributes
{
    public static AuthorizationAttributes Of(UserInfo user, string verb, RequestPath request, IQueryCollection query)
    {
        var name = request.Name;
        var ns = request.Namespace;

        // A namespace addresses itself: reading namespace "team" is a request in namespace "team".
        if (request is { Group: "", Resource: "namespaces", Name: not null })
        {
            ns = request.Name;
        }

        // list/watch of one object by field selector is authorized as that object's name.
        if (name is null && verb is "list" or "watch" && query["fieldSelector"].ToString() is { Length: > 0 } selector)
        {
            foreach (var term in selector.Split(','))
            {
                const string prefix = "metadata.name=";
                if (term.StartsWith(prefix, StringComparison.Ordinal))
                {
                    name = term[prefix.Length..].TrimStart('=');
                }
            }
        }

        return AuthorizationAttributes.ForResource(user, verb, request.Group, request.Resource, request.Subresource, ns, name) with
        {
            ApiVersion = request.Version,
        };
    }
}
