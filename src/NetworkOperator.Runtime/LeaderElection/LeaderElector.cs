using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetworkOperator.Runtime.Metrics;

namespace NetworkOperator.Runtime.LeaderElection;

/// <summary>
/// Leader election on a <c>coordination.k8s.io/v1</c> Lease, following client-go's algorithm: a candidate takes the
/// lease when it is free, released, or not renewed for <see cref="LeaderElectionOptions.LeaseDuration"/> as measured
/// on the local clock from when the candidate last saw it change (so clock skew between nodes does not matter); the
/// leader renews every retry period and gives up when it cannot renew within the renew deadline or sees another
/// holder. It is not fencing: two leaders can briefly overlap, so write paths must stay idempotent.
/// All waiting goes through the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class LeaderElector
{
    private readonly IKubernetes _client;
    private readonly LeaderElectionOptions _options;
    private readonly RuntimeMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private V1LeaseSpec? _observedSpec;
    private DateTimeOffset _observedAt;
    private volatile bool _isLeader;
    private volatile string? _leader;
    private int _waiting;

    public LeaderElector(IKubernetes client, LeaderElectionOptions options, RuntimeMetrics? metrics = null,
        ILoggerFactory? loggerFactory = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _client = client;
        _options = options;
        _metrics = metrics ?? new RuntimeMetrics();
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("NetworkOperator.Runtime.LeaderElection");
        _time = time ?? TimeProvider.System;
    }

    public string Identity => _options.Identity;

    public bool IsLeader => _isLeader;

    /// <summary>The holder last seen in the lease (this instance or another).</summary>
    public string? Leader => _leader;

    /// <summary>True while the elector is waiting on its clock between attempts (lets fake-clock tests step time).</summary>
    internal bool IsWaiting => Volatile.Read(ref _waiting) == 1;

    /// <summary>Raised with the new holder whenever the observed holder changes.</summary>
    public event Action<string>? NewLeader;

    /// <summary>
    /// Campaigns until <paramref name="cancellationToken"/> fires. Each time leadership is won, <paramref name="onLeading"/>
    /// runs with a token cancelled when leadership is lost or on shutdown; the elector waits for it to return before
    /// campaigning again, and on shutdown releases the lease only after it returned.
    /// </summary>
    public async Task RunAsync(Func<CancellationToken, Task> onLeading, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onLeading);
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!await AcquireAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            SetLeader(true);
            var work = Task.Run(() => onLeading(leading.Token), CancellationToken.None);
            var renew = RenewUntilLostAsync(leading.Token);
            await Task.WhenAny(work, renew).ConfigureAwait(false);
            await leading.CancelAsync().ConfigureAwait(false);
            await renew.ConfigureAwait(false);
            try
            {
                await work.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                SetLeader(false);
            }

            if (cancellationToken.IsCancellationRequested && _options.ReleaseOnCancel)
            {
                await ReleaseAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Retries every retry period until this instance holds the lease; false when cancelled first.</summary>
    public async Task<bool> AcquireAsync(CancellationToken cancellationToken)
    {
        RuntimeLog.AcquiringLease(_logger, LeaseDescription, Identity);
        while (!cancellationToken.IsCancellationRequested)
        {
            if (await TryAcquireOrRenewSafeAsync(cancellationToken).ConfigureAwait(false))
            {
                RuntimeLog.AcquiredLease(_logger, LeaseDescription, Identity);
                return true;
            }

            if (!await WaitAsync(_options.RetryPeriod, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Gives the lease up if this instance holds it: empty holder, so candidates take it at once.</summary>
    public async Task ReleaseAsync()
    {
        using var timeout = new CancellationTokenSource(_options.EffectiveCallTimeout, _time);
        try
        {
            var lease = await ReadAsync(timeout.Token).ConfigureAwait(false);
            if (lease?.Spec?.HolderIdentity != Identity)
            {
                return;
            }

            var now = _time.GetUtcNow().UtcDateTime;
            lease.Spec.HolderIdentity = null;
            lease.Spec.LeaseDurationSeconds = 1;
            lease.Spec.RenewTime = now;
            lease.Spec.AcquireTime = now;
            await _client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, _options.LeaseName, _options.LeaseNamespace,
                cancellationToken: timeout.Token).ConfigureAwait(false);
            RuntimeLog.ReleasedLease(_logger, LeaseDescription, Identity);
        }
        catch (Exception ex) when (ex is HttpOperationException or HttpRequestException or OperationCanceledException)
        {
            RuntimeLog.LeaseUpdateFailed(_logger, ex, LeaseDescription, Identity);
        }
    }

    private string LeaseDescription => $"{_options.LeaseNamespace}/{_options.LeaseName}";

    private async Task RenewUntilLostAsync(CancellationToken leading)
    {
        while (!leading.IsCancellationRequested)
        {
            if (!await WaitAsync(_options.RetryPeriod, leading).ConfigureAwait(false))
            {
                return;
            }

            var deadline = _time.GetUtcNow() + _options.RenewDeadline;
            var renewed = false;
            while (!leading.IsCancellationRequested)
            {
                renewed = await TryAcquireOrRenewSafeAsync(leading).ConfigureAwait(false);

                // Seeing another holder means the lease is gone; waiting out the deadline would only prolong overlap.
                if (renewed || (_leader is { } holder && holder != Identity) || _time.GetUtcNow() >= deadline)
                {
                    break;
                }

                if (!await WaitAsync(_options.RetryPeriod, leading).ConfigureAwait(false))
                {
                    return;
                }
            }

            if (!renewed && !leading.IsCancellationRequested)
            {
                RuntimeLog.LostLease(_logger, LeaseDescription, Identity);
                return;
            }
        }
    }

    private async Task<bool> TryAcquireOrRenewSafeAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.EffectiveCallTimeout, _time);
        using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await TryAcquireOrRenewAsync(call.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            RuntimeLog.LeaseUpdateFailed(_logger, ex, LeaseDescription, Identity);
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var lease = await ReadAsync(cancellationToken).ConfigureAwait(false);
        var durationSeconds = (int)Math.Ceiling(_options.LeaseDuration.TotalSeconds);
        if (lease is null)
        {
            var created = new V1Lease
            {
                ApiVersion = "coordination.k8s.io/v1",
                Kind = "Lease",
                Metadata = new V1ObjectMeta { Name = _options.LeaseName, NamespaceProperty = _options.LeaseNamespace },
                Spec = new V1LeaseSpec
                {
                    HolderIdentity = Identity,
                    LeaseDurationSeconds = durationSeconds,
                    AcquireTime = now.UtcDateTime,
                    RenewTime = now.UtcDateTime,
                    LeaseTransitions = 0,
                },
            };
            try
            {
                await _client.CoordinationV1.CreateNamespacedLeaseAsync(created, _options.LeaseNamespace,
                    cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
            {
                return false;
            }

            Observe(created.Spec, now);
            return true;
        }

        var spec = lease.Spec ?? new V1LeaseSpec();
        Observe(spec, now);
        var holder = spec.HolderIdentity;
        if (!string.IsNullOrEmpty(holder) && holder != Identity)
        {
            var duration = TimeSpan.FromSeconds(spec.LeaseDurationSeconds ?? durationSeconds);
            if (_observedAt + duration > now)
            {
                return false;
            }
        }

        var takingOver = holder != Identity;
        spec.HolderIdentity = Identity;
        spec.LeaseDurationSeconds = durationSeconds;
        spec.RenewTime = now.UtcDateTime;
        if (takingOver)
        {
            spec.AcquireTime = now.UtcDateTime;
            spec.LeaseTransitions = (spec.LeaseTransitions ?? 0) + 1;
        }

        lease.Spec = spec;
        try
        {
            await _client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, _options.LeaseName, _options.LeaseNamespace,
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Someone else wrote the lease between our read and write; the next attempt re-reads it.
            return false;
        }

        Observe(spec, now);
        return true;
    }

    private async Task<V1Lease?> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _client.CoordinationV1.ReadNamespacedLeaseAsync(_options.LeaseName, _options.LeaseNamespace,
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    // The observed time is local: when this process last saw the record change, never the remote renewTime.
    private void Observe(V1LeaseSpec spec, DateTimeOffset now)
    {
        var changed = _observedSpec is null
            || _observedSpec.HolderIdentity != spec.HolderIdentity
            || _observedSpec.RenewTime != spec.RenewTime
            || _observedSpec.LeaseTransitions != spec.LeaseTransitions;
        if (changed)
        {
            _observedSpec = new V1LeaseSpec
            {
                HolderIdentity = spec.HolderIdentity,
                RenewTime = spec.RenewTime,
                LeaseTransitions = spec.LeaseTransitions,
            };
            _observedAt = now;
        }

        var holder = spec.HolderIdentity;
        if (!string.IsNullOrEmpty(holder) && holder != _leader)
        {
            _leader = holder;
            RuntimeLog.NewLeader(_logger, LeaseDescription, holder);
            NewLeader?.Invoke(holder);
        }
        else if (string.IsNullOrEmpty(holder))
        {
            _leader = null;
        }
    }

    private void SetLeader(bool leading)
    {
        if (_isLeader == leading)
        {
            return;
        }

        _isLeader = leading;
        _metrics.LeaderStatus.WithLabels(_options.LeaseName).Set(leading ? 1 : 0);
        _metrics.LeaderTransitions.WithLabels(_options.LeaseName, leading ? "acquired" : "lost").Inc();
    }

    private async Task<bool> WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _waiting, 1);
        try
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        finally
        {
            Volatile.Write(ref _waiting, 0);
        }
    }
}
