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
    /// Objects per list request (client-go's pager default, 500): a list is read page by page with <c>limit</c> and
    /// <c>continue</c>, each page transformed before the next is read, so a relist of 10,000 Nodes never holds the whole
    /// response or 10,000 full objects at once. 0 lists everything in one response.
    /// </summary>
    public int PageSize { get; set; } = 500;

    /// <summary>
    /// Replays every cached object as an update (old == new) on this period; a safety net, not polling. Null (the
    /// default here) disables it; controller-runtime uses 10 h.
    /// </summary>
    public TimeSpan? ResyncPeriod { get; set; }

    /// <summary>Reflector backoff: first delay 0.8 s, doubling to 30 s, full jitter, reset after 2 min healthy.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(800);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan BackoffResetAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A watch the server closes sooner than this without a single event backs off like a failure (client-go's "very
    /// short watch", 1 s); any other close re-opens the watch at once.
    /// </summary>
    public TimeSpan ShortWatch { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Watches are re-opened after a random timeout in [min, 2·min) so replicas do not reconnect in lockstep.</summary>
    public TimeSpan MinWatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Applied to every listed or watched object before it enters the store or reaches a handler (controller-runtime's
    /// cache <c>TransformFunc</c>): return a slimmer copy holding only what the readers need, so a cache of thousands of
    /// Nodes or Pods does not keep managedFields, images or whole pod specs alive. Must return an object of the same type.
    /// </summary>
    public Func<object, object>? Transform { get; set; }

    /// <summary>
    /// The part of each listed or watched object that is decoded at all (see <see cref="Client.JsonShape"/>); the rest
    /// is skipped in the JSON, so a field outside it can neither be read nor make the object invalid. Must keep
    /// everything <see cref="Transform"/> and the readers use. Null decodes whole objects.
    /// </summary>
    public Client.JsonShape? Shape { get; set; }

    /// <summary>
    /// Called (under the informer's lock: do not block) for each new version of an object that cannot be read into
    /// its model; the informer has already logged it and counted it. The manager records a Warning Event on it.
    /// </summary>
    public Action<Client.InvalidObject>? OnInvalidObject { get; set; }

    public InformerOptions Clone() => (InformerOptions)MemberwiseClone();
}
