using NetworkOperator.Controllers.Startup;
using NetworkOperator.Controllers.Upgrade;
using NetworkOperator.Rendering.Ofed;

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

    /// <summary>Kubernetes Events on the policies (on by default).</summary>
    public bool RecordEvents { get; init; } = true;

    public const string LeaseName = "12620820.mellanox.com";
}
