using Microsoft.AspNetCore.Http;
using NetworkOperator.Simulator.Diagnostics;
using NetworkOperator.Simulator.Errors;

namespace NetworkOperator.Simulator.Auth;

/// <summary>
/// Authentication and authorization of HTTP requests, in the order of the real server's filter chain: the bearer
/// token names the user (no credentials: system:anonymous when anonymous requests are allowed; a token that
/// authenticates nobody: 401), then the authorizer decides, and a denial is a 403 with the real message.
/// </summary>
internal sealed class RequestGuard(TokenAuthenticator tokens, RbacAuthorizer authorizer, bool anonymousAllowed, RequestCounters counters)
{
    public UserInfo Authenticate(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString().Trim();
        var space = header.IndexOf(' ', StringComparison.Ordinal);
        if (space > 0 && header[..space].Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            var token = header[(space + 1)..].Trim();
            if (token.Length > 0)
            {
                return tokens.Authenticate(token) ?? throw Unauthorized();
            }
        }

        return anonymousAllowed ? UserInfo.Anonymous : throw Unauthorized();
    }

    public void Authorize(AuthorizationAttributes request)
    {
        var decision = authorizer.Authorize(request);
        if (decision.Allowed)
        {
            return;
        }

        counters.Forbidden(request.User.Name);
        var message = request.ForbiddenMessage();
        if (decision.Reason.Length > 0)
        {
            message += ": " + decision.Reason;
        }

        if (!request.IsResourceRequest || request.Resource.Length == 0)
        {
            throw new ApiException(403, "Forbidden", $"forbidden: {message}", null, request.IsResourceRequest ? request.ApiGroup : null,
                request.IsResourceRequest ? request.Resource : null);
        }

        var qualified = request.ApiGroup.Length == 0 ? request.Resource : $"{request.Resource}.{request.ApiGroup}";
        var text = request.Name.Length == 0
            ? $"{qualified} is forbidden: {message}"
            : $"{qualified} {PolicyRule.GoQuote(request.Name)} is forbidden: {message}";
        throw new ApiException(403, "Forbidden", text, request.Name.Length == 0 ? null : request.Name, request.ApiGroup, request.Resource);
    }

    private static ApiException Unauthorized() => new(401, "Unauthorized", "Unauthorized");
}
