using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Serialization;

namespace NetworkOperator.Simulator.Auth;

/// <summary>
/// The create-only virtual resources of authentication and authorization: SelfSubjectAccessReview,
/// SubjectAccessReview, LocalSubjectAccessReview and SelfSubjectRulesReview (`kubectl auth can-i [--list]`),
/// SelfSubjectReview (`kubectl auth whoami`), TokenReview (what a component delegating authentication to the API
/// server asks, such as a secured metrics endpoint) and TokenRequest (`kubectl create token`). Nothing is stored.
/// </summary>
internal sealed class ReviewEndpoints(RbacAuthorizer authorizer, TokenAuthenticator tokens, TimeProvider time)
{
    public const string AuthorizationGroup = "authorization.k8s.io";
    public const string AuthenticationGroup = "authentication.k8s.io";
    private const long DefaultTokenSeconds = 3600;
    private const long MinTokenSeconds = 600;
    private const long MaxTokenSeconds = 1L << 32;

    /// <summary>Whether the request addresses one of these resources (any verb: only create is allowed).</summary>
    public static bool Handles(string group, string resource, string? subresource) => (group, resource, subresource) switch
    {
        (AuthorizationGroup, "selfsubjectaccessreviews" or "subjectaccessreviews" or "localsubjectaccessreviews" or "selfsubjectrulesreviews", null) => true,
        (AuthenticationGroup, "selfsubjectreviews" or "tokenreviews", null) => true,
        ("", "serviceaccounts", "token") => true,
        _ => false,
    };

    /// <summary>The answer object of a create (201).</summary>
    public JsonObject Create(string version, string resource, string? ns, string? name, UserInfo user, JsonObject body)
    {
        if (version != "v1")
        {
            throw ApiErrors.UnknownResource();
        }

        return resource switch
        {
            "selfsubjectaccessreviews" => AccessReview("SelfSubjectAccessReview", body, user, null),
            "subjectaccessreviews" => AccessReview("SubjectAccessReview", body, SubjectOf(body, "SubjectAccessReview"), null),
            "localsubjectaccessreviews" => AccessReview("LocalSubjectAccessReview", body, SubjectOf(body, "LocalSubjectAccessReview"), ns ?? ""),
            "selfsubjectrulesreviews" => RulesReview(body, user),
            "selfsubjectreviews" => WhoAmI(user),
            "tokenreviews" => TokenReview(body),
            _ => TokenRequest(ns ?? "", name ?? "", body),
        };
    }

    private JsonObject AccessReview(string kind, JsonObject body, UserInfo subject, string? urlNamespace)
    {
        var spec = body["spec"] as JsonObject ?? [];
        AuthorizationAttributes attributes;
        if (spec["resourceAttributes"] is JsonObject resource)
        {
            var ns = resource.GetString("namespace") ?? "";
            if (urlNamespace is not null && ns != urlNamespace)
            {
                throw Invalid(kind, "spec.resourceAttributes.namespace", "FieldValueInvalid",
                    $"Invalid value: {PolicyRule.GoQuote(ns)}: must match metadata.namespace");
            }

            attributes = AuthorizationAttributes.ForResource(subject, resource.GetString("verb") ?? "", resource.GetString("group") ?? "",
                resource.GetString("resource") ?? "", resource.GetString("subresource"), ns, resource.GetString("name")) with
            {
                ApiVersion = resource.GetString("version") ?? "",
            };
        }
        else if (spec["nonResourceAttributes"] is JsonObject nonResource)
        {
            attributes = AuthorizationAttributes.ForPath(subject, nonResource.GetString("verb") ?? "", nonResource.GetString("path") ?? "");
        }
        else
        {
            throw Invalid(kind, "spec.resourceAttributes", "FieldValueRequired",
                "Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified");
        }

        var decision = authorizer.Authorize(attributes);
        var status = new JsonObject { ["allowed"] = decision.Allowed };
        if (decision.Reason.Length > 0)
        {
            status["reason"] = decision.Reason;
        }

        return Answer(kind, AuthorizationGroup, body, status);
    }

    private static UserInfo SubjectOf(JsonObject body, string kind)
    {
        var spec = body["spec"] as JsonObject ?? [];
        var name = spec.GetString("user") ?? "";
        var groups = (spec["groups"] as JsonArray ?? []).Select(g => g?.ToString() ?? "").ToList();
        if (name.Length == 0 && groups.Count == 0)
        {
            throw Invalid(kind, "spec.user", "FieldValueInvalid", "Invalid value: \"\": at least one of user or group must be specified");
        }

        return new UserInfo(name, groups, spec.GetString("uid") ?? "");
    }

    private JsonObject RulesReview(JsonObject body, UserInfo user)
    {
        var ns = (body["spec"] as JsonObject)?.GetString("namespace") ?? "";
        var resourceRules = new JsonArray();
        var nonResourceRules = new JsonArray();
        var (rules, errors) = authorizer.RulesFor(user, ns);
        IEnumerable<PolicyRule> all = user.IsPrivileged
            ? [PolicyRule.For(["*"], ["*"], ["*"]), PolicyRule.ForUrls(["*"], ["*"]), .. rules]
            : rules;
        foreach (var rule in all)
        {
            if (rule.Resources.Count > 0)
            {
                var entry = new JsonObject
                {
                    ["verbs"] = Strings(rule.Verbs), ["apiGroups"] = Strings(rule.ApiGroups), ["resources"] = Strings(rule.Resources),
                };
                if (rule.ResourceNames.Count > 0)
                {
                    entry["resourceNames"] = Strings(rule.ResourceNames);
                }

                resourceRules.Add(entry);
            }

            if (rule.NonResourceUrls.Count > 0)
            {
                nonResourceRules.Add(new JsonObject { ["verbs"] = Strings(rule.Verbs), ["nonResourceURLs"] = Strings(rule.NonResourceUrls) });
            }
        }

        var status = new JsonObject { ["resourceRules"] = resourceRules, ["nonResourceRules"] = nonResourceRules, ["incomplete"] = false };
        if (errors.Count > 0)
        {
            status["evaluationError"] = errors.Count == 1 ? errors[0] : "[" + string.Join(", ", errors) + "]";
        }

        return Answer("SelfSubjectRulesReview", AuthorizationGroup, body, status);
    }

    private static JsonObject WhoAmI(UserInfo user)
    {
        var info = new JsonObject { ["username"] = user.Name };
        if (user.Uid.Length > 0)
        {
            info["uid"] = user.Uid;
        }

        info["groups"] = Strings(user.Groups);
        return new JsonObject
        {
            ["kind"] = "SelfSubjectReview",
            ["apiVersion"] = $"{AuthenticationGroup}/v1",
            ["metadata"] = new JsonObject { ["creationTimestamp"] = null },
            ["status"] = new JsonObject { ["userInfo"] = info },
        };
    }

    // As the API server's TokenReview storage: an empty token is a 400; otherwise the answer says whether the token
    // authenticates and as whom (username, uid, groups) for the audiences asked (the API server's when none), and
    // which of them it is good for. Unknown tokens are not an error, just not authenticated; a ServiceAccount token
    // issued for other audiences is not authenticated and says why in status.error.
    private JsonObject TokenReview(JsonObject body)
    {
        var spec = body["spec"] as JsonObject ?? [];
        var token = spec.GetString("token") ?? "";
        if (token.Length == 0)
        {
            throw ApiErrors.BadRequest("token is required for TokenReview in authentication");
        }

        var result = tokens.Authenticate(token, AudiencesOf(spec));
        var status = new JsonObject();
        if (result.User is not { } user)
        {
            status["user"] = new JsonObject();
            if (result.Error is not null)
            {
                status["error"] = result.Error;
            }
        }
        else
        {
            var info = new JsonObject { ["username"] = user.Name };
            if (user.Uid.Length > 0)
            {
                info["uid"] = user.Uid;
            }

            info["groups"] = Strings(user.Groups);
            status["authenticated"] = true;
            status["user"] = info;
            status["audiences"] = Strings(result.Audiences);
        }

        var metadata = body["metadata"]?.DeepClone() as JsonObject ?? [];
        metadata["creationTimestamp"] = null;
        return new JsonObject
        {
            ["kind"] = "TokenReview",
            ["apiVersion"] = $"{AuthenticationGroup}/v1",
            ["metadata"] = metadata,
            ["spec"] = spec.DeepClone(),
            ["status"] = status,
        };
    }

    private JsonObject TokenRequest(string ns, string name, JsonObject body)
    {
        var spec = body["spec"] as JsonObject ?? [];
        var seconds = spec["expirationSeconds"].GetInt64() ?? DefaultTokenSeconds;
        if (seconds < MinTokenSeconds)
        {
            throw Invalid("TokenRequest", "spec.expirationSeconds", "FieldValueInvalid",
                $"Invalid value: {seconds}: may not specify a duration less than 10 minutes", name);
        }

        if (seconds > MaxTokenSeconds)
        {
            throw Invalid("TokenRequest", "spec.expirationSeconds", "FieldValueInvalid",
                $"Invalid value: {seconds}: may not specify a duration larger than 2^32 seconds", name);
        }

        var requested = AudiencesOf(spec);
        var (token, expires) = tokens.IssueServiceAccountToken(ns, name, TimeSpan.FromSeconds(seconds), requested);
        var audiences = Strings(requested.Count > 0 ? requested : [TokenAuthenticator.ApiAudience]);
        return new JsonObject
        {
            ["kind"] = "TokenRequest",
            ["apiVersion"] = $"{AuthenticationGroup}/v1",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["creationTimestamp"] = Timestamp.Format(time.GetUtcNow()) },
            ["spec"] = new JsonObject
            {
                ["audiences"] = audiences,
                ["expirationSeconds"] = seconds,
                ["boundObjectRef"] = spec["boundObjectRef"]?.DeepClone(),
            },
            ["status"] = new JsonObject { ["token"] = token, ["expirationTimestamp"] = Timestamp.Format(expires) },
        };
    }

    private static JsonObject Answer(string kind, string group, JsonObject body, JsonObject status)
    {
        var metadata = body["metadata"]?.DeepClone() as JsonObject ?? [];
        metadata["creationTimestamp"] = null;
        return new JsonObject
        {
            ["kind"] = kind,
            ["apiVersion"] = $"{group}/v1",
            ["metadata"] = metadata,
            ["spec"] = body["spec"]?.DeepClone() ?? new JsonObject(),
            ["status"] = status,
        };
    }

    private static ApiException Invalid(string kind, string field, string reason, string message, string name = "")
    {
        var group = kind == "TokenRequest" ? AuthenticationGroup : AuthorizationGroup;
        return new ApiException(422, "Invalid", $"{kind}.{group} {PolicyRule.GoQuote(name)} is invalid: {field}: {message}",
            name, group, kind, [new StatusCause(reason, message, field)]);
    }

    private static List<string> AudiencesOf(JsonObject spec) =>
        spec["audiences"] is JsonArray given
            ? [.. given.Select(a => a is JsonValue v && v.TryGetValue<string>(out var text) ? text : "").Where(a => a.Length > 0)]
            : [];

    private static JsonArray Strings(IEnumerable<string> values) => [.. values.Select(v => (JsonNode?)JsonValue.Create(v))];
}
