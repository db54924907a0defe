using System.Collections.Concurrent;

namespace NetworkOperator.Simulator.Diagnostics;

/// <summary>
/// Counts HTTP API requests by verb (get, list, watch, create, update, patch, delete, deletecollection) and resource
/// (plural, with "/status" style suffix for subresources), so tests can assert how chatty a client is. Namespaced
/// requests are also counted per namespace, so a test can tell "deleted a pod in the operator namespace" from
/// "deleted a workload pod".
/// </summary>
public sealed class RequestCounters
{
    private readonly ConcurrentDictionary<(string Verb, string Resource), long> _counts = new();
    private readonly ConcurrentDictionary<(string Verb, string Resource, string Namespace), long> _byNamespace = new();
    private readonly ConcurrentDictionary<string, long> _forbidden = new(StringComparer.Ordinal);

    public void Increment(string verb, string resource) => _counts.AddOrUpdate((verb, resource), 1, (_, n) => n + 1);

    /// <summary>Counts one request; <paramref name="inNamespace"/> is null for cluster-scoped and all-namespace requests.</summary>
    public void Increment(string verb, string resource, string? inNamespace)
    {
        Increment(verb, resource);
        if (inNamespace is not null)
        {
            _byNamespace.AddOrUpdate((verb, resource, inNamespace), 1, (_, n) => n + 1);
        }
    }

    /// <summary>Requests of one verb on one resource in one namespace (requests across all namespaces not included).</summary>
    public long Get(string verb, string resource, string inNamespace) =>
        _byNamespace.TryGetValue((verb, resource, inNamespace), out var n) ? n : 0;

    /// <summary>Requests of one verb on one resource ("pods", "pods/status", "daemonsets").</summary>
    public long Get(string verb, string resource) => _counts.TryGetValue((verb, resource), out var n) ? n : 0;

    /// <summary>Requests of one verb on any resource.</summary>
    public long Total(string verb) => _counts.Where(kv => kv.Key.Verb == verb).Sum(kv => kv.Value);

    /// <summary>Every request counted.</summary>
    public long Total() => _counts.Values.Sum();

    /// <summary>Mutating requests (create, update, patch, delete, deletecollection).</summary>
    public long Writes() => _counts.Where(kv => kv.Key.Verb is "create" or "update" or "patch" or "delete" or "deletecollection")
        .Sum(kv => kv.Value);

    /// <summary>Counts one request the authorizer refused (403) for <paramref name="user"/>.</summary>
    public void Forbidden(string user) => _forbidden.AddOrUpdate(user, 1, (_, n) => n + 1);

    /// <summary>
    /// Requests the authorizer refused, per user: a client run under a ServiceAccount whose RBAC lacks a permission
    /// shows here even when it retries past the refusal.
    /// </summary>
    public IReadOnlyDictionary<string, long> ForbiddenByUser() => new Dictionary<string, long>(_forbidden, StringComparer.Ordinal);

    public IReadOnlyDictionary<(string Verb, string Resource), long> Snapshot() => new Dictionary<(string, string), long>(_counts);

    public void Reset()
    {
        _counts.Clear();
        _byNamespace.Clear();
        _forbidden.Clear();
    }
}
