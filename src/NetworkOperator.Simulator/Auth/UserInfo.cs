namespace NetworkOperator.Simulator.Auth;

/// <summary>An authenticated caller as the API server's authorizers see it: user name, uid and groups.</summary>
public sealed record UserInfo(string Name, IReadOnlyList<string> Groups, string Uid = "")
{
    /// <summary>Members bypass authorization and escalation checks, as on a real API server.</summary>
    public const string MastersGroup = "system:masters";

    public const string AuthenticatedGroup = "system:authenticated";

    public const string UnauthenticatedGroup = "system:unauthenticated";

    public const string AnonymousName = "system:anonymous";

    public const string ServiceAccountsGroup = "system:serviceaccounts";

    public const string ServiceAccountPrefix = "system:serviceaccount:";

    /// <summary>The user of a request without credentials when anonymous requests are allowed.</summary>
    public static UserInfo Anonymous { get; } = new(AnonymousName, [UnauthenticatedGroup]);

    public bool IsPrivileged => Groups.Contains(MastersGroup, StringComparer.Ordinal);

    /// <summary>The user name and groups a ServiceAccount token authenticates as.</summary>
    public static UserInfo ForServiceAccount(string ns, string name, string uid) =>
        new($"{ServiceAccountPrefix}{ns}:{name}", [ServiceAccountsGroup, $"{ServiceAccountsGroup}:{ns}", AuthenticatedGroup], uid);

    /// <summary>"system:serviceaccount:ns:name" taken apart, or null for any other user name.</summary>
    public static (string Namespace, string Name)? ParseServiceAccount(string userName)
    {
        if (!userName.StartsWith(ServiceAccountPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = userName[ServiceAccountPrefix.Length..].Split(':');
        return parts is [{ Length: > 0 } ns, { Length: > 0 } name] ? (ns, name) : null;
    }

    /// <summary>Cache key: user name plus groups.</summary>
    internal string Key => Groups.Count == 0 ? Name : Name + "\n" + string.Join('\n', Groups);
}
