using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace NetworkOperator.Simulator.Diagnostics;

/// <summary>
/// Which user made which kind of resource request, with counts, like the API server's audit log at the Metadata level
/// (one entry per distinct request kind, so memory stays bounded). The simulator authenticates nobody; as with a
/// static token file, a bearer token is taken as the user name, so a test can give each client its own identity and
/// check its requests against the RBAC rules that identity would have.
/// </summary>
public sealed class AuditLog
{
    public const string Anonymous = "system:anonymous";

    private readonly ConcurrentDictionary<AuditedRequest, long> _entries = new();

    public void Record(AuditedRequest request) => _entries.AddOrUpdate(request, 1, (_, n) => n + 1);

    /// <summary>Every distinct request kind with how often it was made.</summary>
    public IReadOnlyDictionary<AuditedRequest, long> Snapshot() => new Dictionary<AuditedRequest, long>(_entries);

    /// <summary>The distinct request kinds one user made.</summary>
    public IReadOnlyList<AuditedRequest> ByUser(string user) => [.. _entries.Keys.Where(e => e.User == user)];

    public void Reset() => _entries.Clear();

    internal static string UserOf(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        return authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) && authorization.Length > bearer.Length
            ? authorization[bearer.Length..].Trim()
            : Anonymous;
    }
}
