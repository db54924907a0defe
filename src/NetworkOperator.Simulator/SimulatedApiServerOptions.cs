namespace NetworkOperator.Simulator;

/// <summary>Settings of one simulated API server.</summary>
public sealed class SimulatedApiServerOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>TCP port of the HTTPS endpoint on 127.0.0.1 (the one kubeconfigs name); 0 picks a free one.</summary>
    public int SecurePort { get; set; }

    /// <summary>Clock for timestamps, watch timeouts and bookmarks; tests may pass a fake one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Changes kept per resource type for watch replay; older resourceVersions get 410 Expired.</summary>
    public int WatchHistoryPerResource { get; set; } = 5000;

    /// <summary>Events queued per watcher before a slow watcher is closed.</summary>
    public int WatcherQueueCapacity { get; set; } = 100_000;

    /// <summary>How often a watch with allowWatchBookmarks=true receives a BOOKMARK.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// When true, deleting a pod bound to a node only marks it (deletionTimestamp) until a kubelet deletes it with
    /// gracePeriodSeconds=0, as on a real cluster. Off by default because no kubelet runs unless a simulated node does.
    /// </summary>
    public bool GracefulPodDeletion { get; set; }

    /// <summary>
    /// Maps a webhook's clientConfig.service (namespace, name, port, path) to a loopback URL, since simulated
    /// services route nowhere. Null: service-referenced webhooks fail (and failurePolicy decides).
    /// </summary>
    public Func<string, string, int, string, Uri?>? WebhookServiceResolver { get; set; }

    /// <summary>The PodSecurity admission plugin's defaults for unlabelled namespaces and its exemptions (none by default).</summary>
    public Admission.PodSecurity.PodSecurityDefaults PodSecurity { get; set; } = new();

    /// <summary>
    /// Whether a request without credentials is served as system:anonymous (kube-apiserver's default,
    /// --anonymous-auth=true: it may read /version and /healthz and nothing else) or refused with 401.
    /// </summary>
    public bool AnonymousAuth { get; set; } = true;

    /// <summary>
    /// Whether every namespace gets kube-controller-manager's <c>default</c> ServiceAccount and <c>kube-root-ca.crt</c>
    /// ConfigMap (on by default, as on every real cluster). Off is an API server without controller-manager, as
    /// envtest runs it: pods then need a ServiceAccount created by the caller, since admission still requires one.
    /// </summary>
    public bool NamespaceDefaults { get; set; } = true;

    /// <summary>Namespaces present at start, as on a fresh cluster.</summary>
    public IReadOnlyList<string> InitialNamespaces { get; set; } = ["default", "kube-system", "kube-public", "kube-node-lease"];
}
