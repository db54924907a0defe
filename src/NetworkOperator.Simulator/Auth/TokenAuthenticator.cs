using System.Collections.Concurrent;
using System.Security.Cryptography;
using NetworkOperator.Simulator.ApiServer;

namespace NetworkOperator.Simulator.Auth;

/// <summary>
/// Bearer-token authentication: the cluster-admin token of the kubeconfig the server writes, static tokens a test
/// registers (like a static token file), and ServiceAccount tokens from the TokenRequest API, valid while the
/// ServiceAccount (same uid) exists and the token has not expired. Tokens are opaque random strings, not JWTs.
/// </summary>
public sealed class TokenAuthenticator
{
    /// <summary>The user of the kubeconfig the server writes, as kubeadm names its admin.</summary>
    public const string AdminUserName = "kubernetes-admin";

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

    /// <summary>The user a bearer token authenticates as, or null when the token is unknown, expired or its ServiceAccount is gone.</summary>
    public UserInfo? Authenticate(string token)
    {
        if (_static.TryGetValue(token, out var user))
        {
            return user;
        }

        if (!_serviceAccountTokens.TryGetValue(token, out var sa))
        {
            return null;
        }

        if (_time.GetUtcNow() >= sa.Expires)
        {
            _serviceAccountTokens.TryRemove(token, out _);
            return null;
        }

        var type = _resources.Registry.Find("", "v1", "serviceaccounts")!;
        var stored = _resources.TryGet(type, sa.Namespace, sa.Name);
        return stored is not null && stored.Uid == sa.Uid && !stored.IsDeleting ? UserInfo.ForServiceAccount(sa.Namespace, sa.Name, sa.Uid) : null;
    }

    /// <summary>Issues a token for an existing ServiceAccount (what TokenRequest does); throws NotFound when it does not exist.</summary>
    public (string Token, DateTimeOffset Expires) IssueServiceAccountToken(string ns, string name, TimeSpan lifetime)
    {
        var type = _resources.Registry.Find("", "v1", "serviceaccounts")!;
        var account = _resources.Get(type, ns, name);
        var token = NewToken();
        var expires = _time.GetUtcNow() + lifetime;
        _serviceAccountTokens[token] = new ServiceAccountToken(ns, name, account.Uid, expires);
        return (token, expires);
    }

    private static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed record ServiceAccountToken(string Namespace, string Name, string Uid, DateTimeOffset Expires);
}
