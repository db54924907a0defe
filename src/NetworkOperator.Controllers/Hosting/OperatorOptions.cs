using NetworkOperator.Controllers.Startup;
using NetworkOperator.Controllers.Upgrade;
using NetworkOperator.Rendering.Ofed;
using NetworkOperator.Runtime.Metrics;

namespace NetworkOperator.Controllers.Hosting;

/// <summary>How to run the operator: the <c>run</c> command's flags plus what tests and the demo tune.</summary>
public sealed record OperatorOptions
{
    public OperatorEnvironment Environment { get; init; } = new();

    /// <summary>Lease <c>12620820.mellanox.com</c> in the operator namespace when true.</summary>
    public bool LeaderElect { get; init; }

    public string? LeaderIdentity { get; init; }

    /// <summary>Faster lease timings for tests (duration, renew deadline, retry period); null keeps 15/10/2 s.</summary>
    public (TimeSpan Duration, TimeSpan RenewDeadline, TimeSpan RetryPeriod)? LeaseTimings { get; init; }

    /// <summary><c>host:port</c>; null or empty disables the endpoint.</summary>
    public string? MetricsBindAddress { get; init; }

    public string? HealthProbeBindAddress { get; init; }

    /// <summary><c>--metrics-secure</c>: /metrics over HTTPS behind TokenReview and SubjectAccessReview.</summary>
    public bool SecureMetrics { get; init; }

    /// <summary>The client's request counter, exported as <c>rest_client_requests_total</c>; null exports none.</summary>
    public RestClientRequests? RequestMetrics { get; init; }

    /// <summary>Install or upgrade the operator's own CRDs before starting.</summary>
    public bool InstallCrds { get; init; }

    public IPrecompiledTagLister? Tags { get; init; }

    public Func<string, string, CancellationToken, Task>? RefreshTags { get; init; }

    public TimeSpan? SteadyStateResync { get; init; }

    /// <summary>
    /// Driver-upgrade controller timings (eviction retry, deletion poll, requeue); null keeps upstream's defaults.
    /// The namespace always comes from <see cref="Environment"/>.
    /// </summary>
    public UpgradeControllerOptions? Upgrade { get; init; }

    /// <summary>
    /// Least time between two passes of one policy (NicClusterPolicy, each NicNodePolicy); events meanwhile are coalesced
    /// into the next pass. Every status change of a policy's DaemonSets wakes it, and while drivers roll out or upgrade
    /// those come by the hundred a second: a 1,000-node upgrade ran 20-30 passes a second back to back, each applying
    /// every object and planning every node, while the status they feed is written at most once a second anyway. A change
    /// is acted on within this interval; null or zero runs passes back to back.
    /// </summary>
    public TimeSpan? PolicyPassInterval { get; init; } = DefaultPolicyPassInterval;

    /// <summary>The default of <see cref="PolicyPassInterval"/>.</summary>
    public static readonly TimeSpan DefaultPolicyPassInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Largest share of a core one policy's passes may take (the runtime's <c>ControllerOptions.IdleShare</c>, at most 1 s
    /// between passes): a pass weighs every node, so at 10,000 nodes the fixed <see cref="PolicyPassInterval"/> let the
    /// passes of a rollout take half a core for minutes, CPU the simulated (or real, on a small control plane) cluster
    /// then lacked. At 1,000 nodes a pass takes a few milliseconds and the interval alone paces it. Null: the interval only.
    /// </summary>
    public double? PolicyPassShare { get; init; } = 0.25;

    /// <summary>Kubernetes Events on the policies (on by default).</summary>
    public bool RecordEvents { get; init; } = true;

    public const string LeaseName = "12620820.mellanox.com";
}
