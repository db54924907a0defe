using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace NetworkOperator.Runtime.Hosting;

/// <summary>
/// Authentication and authorization of <c>/metrics</c> delegated to the API server, as controller-runtime's secure
/// metrics serving does: the caller's bearer token is checked with a TokenReview, then the user it names is checked
/// with a SubjectAccessReview for the non-resource URL (verb = the HTTP method in lower case, path = the request path).
/// No or an unknown token is 401 <c>Unauthorized</c>; a user without the grant is 403 <c>Authorization denied for user
/// NAME</c>. The operator's identity needs create on tokenreviews and subjectaccessreviews (the chart binds it to
/// <c>system:auth-delegator</c> when secure metrics are on); scrapers need <c>get</c> on the URL (the chart's
/// metrics-reader ClusterRole).
/// </summary>
internal sealed class MetricsAccessFilter(IKubernetes client, ILogger logger)
{
    private const string BearerPrefix = "Bearer ";

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var token = header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) ? header[BearerPrefix.Length..].Trim() : string.Empty;
        if (token.Length == 0)
        {
            await ErrorAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized").ConfigureAwait(false);
            return;
        }

        V1TokenReviewStatus? identity;
        try
        {
            var review = await client.AuthenticationV1.CreateTokenReviewAsync(
                new V1TokenReview { Spec = new V1TokenReviewSpec { Token = token } }, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            identity = review.Status;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            RuntimeLog.MetricsAccessCheckFailed(logger, "TokenReview", Client.ApiErrors.Describe(ex));
            await ErrorAsync(context, StatusCodes.Status401Unauthorized, "Authentication failed").ConfigureAwait(false);
            return;
        }

        if (identity?.Authenticated != true || identity.User is not { } user)
        {
            await ErrorAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized").ConfigureAwait(false);
            return;
        }

        bool allowed;
        try
        {
            var access = await client.AuthorizationV1.CreateSubjectAccessReviewAsync(new V1SubjectAccessReview
            {
                Spec = new V1SubjectAccessReviewSpec
                {
                    User = user.Username,
                    Uid = user.Uid,
                    Groups = user.Groups,
                    Extra = user.Extra,
                    NonResourceAttributes = new V1NonResourceAttributes
                    {
                        Path = context.Request.Path.Value ?? "/",
                        Verb = context.Request.Method.ToLowerInvariant(),
                    },
                },
            }, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            allowed = access.Status?.Allowed == true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            RuntimeLog.MetricsAccessCheckFailed(logger, "SubjectAccessReview", Client.ApiErrors.Describe(ex));
            await ErrorAsync(context, StatusCodes.Status500InternalServerError, $"Authorization for user {user.Username} failed").ConfigureAwait(false);
            return;
        }

        if (!allowed)
        {
            await ErrorAsync(context, StatusCodes.Status403Forbidden, $"Authorization denied for user {user.Username}").ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    // Plain text with a trailing newline, as Go's http.Error writes it.
    private static Task ErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers["X-Content-Type-Options"] = "nosniff";
        return context.Response.WriteAsync(message + "\n", context.RequestAborted);
    }
}
