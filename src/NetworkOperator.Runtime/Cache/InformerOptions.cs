namespace NetworkOperator.Runtime.Cache;

/// <summary>Per-kind cache settings; every one has a client-go/controller-runtime default.</summary>
public sealed class InformerOptions
{
    /// <summary>Restricts the cache to one namespace (namespaced kinds only); null caches all namespaces.</summary>
    public string? Namespace { get; set; }

    /// <summary>Server-side label selector scoping the cache, e.g. <c>app.kubernetes.io/managed-by=x</c>.</summary>
    public string? LabelSelector { get; set; }

    /// <summary>Server-side field selector scoping the cache, e.g. <c>metadata.name=x</c>.</summary>
    public string? FieldSelector { get; set; }

    /// <summary>
    /// Replays every cached object as an update (old == new) on this period; a safety net, not polling. Null (the
    /// default here) disables it; controller-runtime uses 10 h.
    /// </summary>
    public TimeSpan? ResyncPeriod { get; set; }

    /// <summary>Reflector backoff: first delay 0.8 s, doubling to 30 s, full jitter, reset after 2 min healthy.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(800);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan BackoffResetAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Watches are re-opened after a random timeout in [min, 2·min) so replicas do not reconnect in lockstep.</summary>
    public TimeSpan MinWatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    public InformerOptions Clone() => (InformerOptions)MemberwiseClone();
}
