using NetworkOperator.Simulator.Errors;

namespace NetworkOperator.Simulator.Diagnostics;

/// <summary>A rule that fails matching requests with a given status at a given rate.</summary>
/// <param name="Verb">get, list, watch, create, update, patch, delete, deletecollection, or null for any.</param>
/// <param name="Resource">Plural resource (e.g. "configmaps"), or null for any.</param>
/// <param name="StatusCode">429, 500 or 503 (any 4xx/5xx is accepted).</param>
/// <param name="Rate">Fraction of matching requests to fail, 0..1.</param>
/// <param name="User">The authenticated user it applies to (say the operator's ServiceAccount, so a test's own
/// observer is not disturbed); null for every caller.</param>
public sealed record FaultRule(string? Verb, string? Resource, int StatusCode, double Rate = 1.0, string? User = null);

/// <summary>
/// Runtime-switchable faults for resilience tests and demos: added latency, error rates by verb and resource,
/// closing open watches, and answering the next watch with 410 Expired.
/// </summary>
public sealed class FaultInjector
{
    private readonly object _lock = new();
    private readonly Random _random;
    private List<FaultRule> _rules = [];
    private int _expireNextWatches;

    public FaultInjector(int seed = 1)
    {
        _random = new Random(seed);
    }

    /// <summary>Delay added before every API request is handled.</summary>
    public TimeSpan Latency { get; set; }

    internal Action? CloseWatchesRequested { get; set; }

    public void AddRule(FaultRule rule)
    {
        lock (_lock)
        {
            _rules = [.. _rules, rule];
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _rules = [];
            _expireNextWatches = 0;
        }

        Latency = TimeSpan.Zero;
    }

    /// <summary>Closes every open watch now (clients see the stream end and must re-watch).</summary>
    public void CloseAllWatches() => CloseWatchesRequested?.Invoke();

    /// <summary>The next <paramref name="count"/> watch requests get an ERROR event with 410 Expired instead of events.</summary>
    public void ExpireNextWatches(int count = 1) => Interlocked.Add(ref _expireNextWatches, count);

    internal bool TakeExpireNextWatch()
    {
        while (true)
        {
            var current = Volatile.Read(ref _expireNextWatches);
            if (current <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _expireNextWatches, current - 1, current) == current)
            {
                return true;
            }
        }
    }

    /// <summary>The error to answer with instead of handling the request, if a rule fires.</summary>
    internal ApiException? Check(string verb, string resource, string user)
    {
        var rules = _rules;
        foreach (var rule in rules)
        {
            if ((rule.Verb is null || rule.Verb == verb) && (rule.Resource is null || rule.Resource == resource)
                && (rule.User is null || rule.User == user))
            {
                bool fire;
                lock (_lock)
                {
                    fire = _random.NextDouble() < rule.Rate;
                }

                if (fire)
                {
                    return rule.StatusCode switch
                    {
                        429 => ApiErrors.TooManyRequests("injected fault: too many requests, please try again later"),
                        503 => new ApiException(503, "ServiceUnavailable", "injected fault: the server is currently unable to handle the request",
                            retryAfterSeconds: 1),
                        500 => ApiErrors.Internal("injected fault: an error on the server has prevented the request from succeeding"),
                        _ => new ApiException(rule.StatusCode, "InternalError", $"injected fault ({rule.StatusCode})"),
                    };
                }
            }
        }

        return null;
    }
}
