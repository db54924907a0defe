using NetworkOperator.Runtime.Cache;
using NetworkOperator.Runtime.LeaderElection;
using NetworkOperator.Runtime.Metrics;

namespace NetworkOperator.Runtime.Hosting;

public sealed class ManagerOptions
{
    /// <summary>Leader election; null runs controllers without it (single replica, tests).</summary>
    public LeaderElectionOptions? LeaderElection { get; set; }

    /// <summary><c>host:port</c> for <c>/healthz</c> and <c>/readyz</c>; <c>0</c> or empty disables. Port 0 picks a free port.</summary>
    public string? HealthProbeBindAddress { get; set; } = "0.0.0.0:8081";

    /// <summary><c>host:port</c> for Prometheus <c>/metrics</c>; <c>0</c> or empty disables. May equal the probe address.</summary>
    public string? MetricsBindAddress { get; set; } = "0.0.0.0:8080";

    /// <summary>
    /// Serve <c>/metrics</c> over HTTPS to callers whose bearer token the API server authenticates (TokenReview) and
    /// authorizes for the URL (SubjectAccessReview), as controller-runtime's <c>--metrics-secure</c>. Needs its own address.
    /// </summary>
    public bool SecureMetrics { get; set; }

    /// <summary>How long to wait for the caches to fill before giving up (controller-runtime: 2 min).</summary>
    public TimeSpan CacheSyncTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long in-flight reconciles may finish on shutdown before they are cancelled (controller-runtime: 30 s).</summary>
    public TimeSpan GracefulShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Cache settings for kinds without their own <c>SharedInformerFactory.Configure</c>.</summary>
    public InformerOptions CacheDefaults { get; set; } = new();

    /// <summary>The client's request counter (its HTTP handler), exported on <c>/metrics</c>; null exports none.</summary>
    public RestClientRequests? RequestMetrics { get; set; }

    /// <summary>Component name written into Events.</summary>
    public string EventComponent { get; set; } = "controller-manager";
}
