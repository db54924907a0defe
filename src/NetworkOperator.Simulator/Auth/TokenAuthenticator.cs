using System.Collections.Concurrent;
using System.Security.Cryptography;
using NetworkOperator.Simulator.ApiServer;

namespace NetworkOperator.Simulator.Auth;

/// <summary>
/// Bearer-token authentication: the cluster-admin token of the kubeconfig the server writes, static tokens a test
/// registers (like a static token file), and ServiceAccount tokens from the TokenRequest API, valid while the
/// ServiceAccount (same uid) exists and the token has not expired. Tokens are opaque random strings, not JWTs.
/// Audiences are checked as the real server's authenticators check them: a ServiceAccount token is good only for the
/// audiences it was issued for (the API server's by default), static tokens only for the API server's.
/// </summary>
public sealed class TokenAuthenticator
{
    /// <summary>The user of the kubeconfig the server writes, as kubeadm names its admin.</summary>
    public const string AdminUserName = "kubernetes-admin";

    /// <summary>The API server's audience (<c>--api-audiences</c> defaults to the issuer, as kubeadm sets it).</summary>
    public const string ApiAudience = "https://kubernetes.default.svc.cluster.local";

    private static readonly IReadOnlyList<string> ApiAudiences = [ApiAudience];

    private readonly ConcurrentDictionary<string, UserInfo> _static = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ServiceAccountToken> _serviceAccountTokens = new(StringComparer.Ordinal);
    private readonly ResourceService _resources;
    private readonly TimeProvider _time;

    internal TokenAuthenticator(ResourceService resources, TimeProvider time)
    {
        _resources = resources;
        _time = time;
        AdminToken = NewToken();
        _static[AdminToken] = Admin;
    }

    /// <summary>A cluster admin: member of system:masters.</summary>
    public static UserInfo Admin { get; } = new(AdminUserName, [UserInfo.MastersGroup, UserInfo.AuthenticatedGroup]);

    /// <summary>The token of <see cref="Admin"/>, written into kubeconfigs and used by <c>CreateClient()</c>.</summary>
    public string AdminToken { get; }

    /// <summary>Registers a token for a user (system:authenticated is added, as the real server does for every authenticated user).</summary>
    public string AddToken(UserInfo user, string? token = null)
    {
        token ??= NewToken();
        var groups = user.Groups.Contains(UserInfo.AuthenticatedGroup, StringComparer.Ordinal) ? user.Groups : [.. user.Groups, UserInfo.AuthenticatedGroup];
        _static[token] = user with { Groups = groups };
        return token;
    }

    /// <summary>The user a bearer token sent to the API server authenticates as, or null (unknown, expired, ServiceAccount gone, or issued for other audiences).</summary>
    public UserInfo? Authenticate(string token) => Authenticate(token, ApiAudiences).User;

    /// <summary>
    /// Authenticates <paramref name="token"/> for <paramref name="requested"/> audiences (the API server's when empty),
    /// as a TokenReview does. A ServiceAccount token none of whose audiences is requested is refused with the JWT
    /// authenticator's error; a static token is audience-agnostic, good only where the API server's audience is asked.
    /// </summary>
    public TokenAuthentication Authenticate(string token, IReadOnlyList<string> requested)
    {
        if (requested.Count == 0)
        {
            requested = ApiAudiences;
        }

        if (_static.TryGetValue(token, out var user))
        {
            var agnostic = Intersect(ApiAudiences, requested);
            return agnostic.Count == 0 ? TokenAuthentication.None : new TokenAuthentication(user, agnostic);
        }

        if (!_serviceAccountTokens.TryGetValue(token, out var sa))
        {
            return TokenAuthentication.None;
        }

        if (_time.GetUtcNow() >= sa.Expires)
        {
            _serviceAccountTokens.TryRemove(token, out _);
            return TokenAuthentication.None;
        }

        var audiences = Intersect(sa.Audiences, requested);
        if (audiences.Count == 0)
        {
            return TokenAuthentication.None with
            {
                Error = $"token audiences {GoQuoted(sa.Audiences)} is invalid for the target audiences {GoQuoted(requested)}",
            };
        }

        var type = _resources.Registry.Find("", "v1", "serviceaccounts")!;
        var stored = _resources.TryGet(type, sa.Namespace, sa.Name);
        return stored is not null && stored.Uid == sa.Uid && !stored.IsDeleting
            ? new TokenAuthentication(UserInfo.ForServiceAccount(sa.Namespace, sa.Name, sa.Uid), audiences)
            : TokenAuthentication.None;
    }

    /// <summary>Issues a token for an existing ServiceAccount (what TokenRequest does); throws NotFound when it does not exist.</summary>
    /// <param name="ns">The ServiceAccount's namespace.</param>
    /// <param name="name">The ServiceAccount's name.</param>
    /// <param name="lifetime">How long the token is valid.</param>
    /// <param name="audiences">What the token is for (TokenRequest <c>spec.audiences</c>); the API server's when null or empty.</param>
    public (string Token, DateTimeOffset Expires) IssueServiceAccountToken(string ns, string name, TimeSpan lifetime,
        IReadOnlyList<string>? audiences = null)
    {
        var type = _resources.Registry.Find("", "v1", "serviceaccounts")!;
        var account = _resources.Get(type, ns, name);
        var token = NewToken();
        var expires = _time.GetUtcNow() + lifetime;
        _serviceAccountTokens[token] = new ServiceAccountToken(ns, name, account.Uid, expires,
            audiences is { Count: > 0 } ? [.. audiences] : ApiAudiences);
        return (token, expires);
    }

    private static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static List<string> Intersect(IReadOnlyList<string> have, IReadOnlyList<string> requested) =>
        [.. have.Where(a => requested.Contains(a, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal)];

    // Go's %q of a string slice: ["a" "b"].
    private static string GoQuoted(IReadOnlyList<string> values) => "[" + string.Join(' ', values.Select(PolicyRule.GoQuote)) + "]";

    private sealed record ServiceAccountToken(string Namespace, string Name, string Uid, DateTimeOffset Expires, IReadOnlyList<string> Audiences);
}
