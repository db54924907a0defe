namespace NetworkOperator.Simulator.Auth;

/// <summary>
/// What a request asks to do, in the terms authorizers decide on: a resource request (verb, API group, resource,
/// subresource, name, namespace) or a non-resource request (verb and URL path).
/// </summary>
public sealed record AuthorizationAttributes(UserInfo User, string Verb)
{
    public bool IsResourceRequest { get; init; } = true;

    public string ApiGroup { get; init; } = "";

    public string ApiVersion { get; init; } = "";

    public string Resource { get; init; } = "";

    public string Subresource { get; init; } = "";

    public string Name { get; init; } = "";

    public string Namespace { get; init; } = "";

    public string Path { get; init; } = "";

    public static AuthorizationAttributes ForResource(UserInfo user, string verb, string group, string resource, string? subresource = null,
        string? ns = null, string? name = null) =>
        new(user, verb) { ApiGroup = group, Resource = resource, Subresource = subresource ?? "", Namespace = ns ?? "", Name = name ?? "" };

    public static AuthorizationAttributes ForPath(UserInfo user, string verb, string path) =>
        new(user, verb) { IsResourceRequest = false, Path = path };

    /// <summary>The real server's forbidden message: User "u" cannot verb resource "r" in API group "g" in the namespace "n".</summary>
    public string ForbiddenMessage()
    {
        if (!IsResourceRequest)
        {
            return $"User {PolicyRule.GoQuote(User.Name)} cannot {Verb} path {PolicyRule.GoQuote(Path)}";
        }

        var resource = Subresource.Length > 0 ? $"{Resource}/{Subresource}" : Resource;
        var scope = Namespace.Length > 0 ? $"in the namespace {PolicyRule.GoQuote(Namespace)}" : "at the cluster scope";
        return $"User {PolicyRule.GoQuote(User.Name)} cannot {Verb} resource {PolicyRule.GoQuote(resource)} in API group {PolicyRule.GoQuote(ApiGroup)} {scope}";
    }
}
