namespace NetworkOperator.Simulator.Auth;

/// <summary>
/// What authenticating a token for some audiences gave: the user (null when not authenticated), the audiences the
/// token is good for among those asked (what TokenReview reports), and the authenticator's error, which the API server
/// reports in a TokenReview's <c>status.error</c> and otherwise only logs.
/// </summary>
public sealed record TokenAuthentication(UserInfo? User, IReadOnlyList<string> Audiences, string? Error = null)
{
    public static TokenAuthentication None { get; } = new(null, []);
}
