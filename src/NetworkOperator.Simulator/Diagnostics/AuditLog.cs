using System.Collections.Concurrent;

namespace NetworkOperator.Simulator.Diagnostics;

/// <summary>
/// Which user made which kind of resource request, with counts, like the API server's audit log at the Metadata level
/// (one entry per distinct request kind, so memory stays bounded), under the authenticated user's name — refused
/// requests included — so a test can check what an identity (say the operator's ServiceAccount) asked for.
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
}
