namespace NetworkOperator.Runtime.LeaderElection;

/// <summary>Lease-based leader election settings; defaults match controller-runtime (15 s / 10 s / 2 s).</summary>
public sealed class LeaderElectionOptions
{
    public required string LeaseName { get; set; }

    public required string LeaseNamespace { get; set; }

    /// <summary>This replica's identity in the lease; unique per process.</summary>
    public string Identity { get; set; } = $"{Environment.MachineName}_{Guid.NewGuid():N}";

    /// <summary>How long a non-leader waits after the last observed renewal before taking over.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps retrying a failing renewal before it gives up leadership.</summary>
    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Interval between acquire attempts and between renewals.</summary>
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Per-request timeout; by default max(1 s, RenewDeadline/2) so one hung request cannot cost leadership.</summary>
    public TimeSpan? RenewCallTimeout { get; set; }

    /// <summary>Give the lease up on shutdown (after controllers stopped) so a standby takes over within one retry period.</summary>
    public bool ReleaseOnCancel { get; set; } = true;

    internal TimeSpan EffectiveCallTimeout =>
        RenewCallTimeout ?? TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(1).Ticks, RenewDeadline.Ticks / 2));

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(LeaseName);
        ArgumentException.ThrowIfNullOrEmpty(LeaseNamespace);
        ArgumentException.ThrowIfNullOrEmpty(Identity);
        if (LeaseDuration <= RenewDeadline)
        {
            throw new ArgumentException("LeaseDuration must be greater than RenewDeadline.");
        }

        if (RenewDeadline <= RetryPeriod)
        {
            throw new ArgumentException("RenewDeadline must be greater than RetryPeriod.");
        }
    }
}
