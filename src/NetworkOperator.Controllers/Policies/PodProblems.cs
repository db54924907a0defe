using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using NetworkOperator.Runtime.Client;

namespace NetworkOperator.Controllers.Policies;

/// <summary>
/// Why a workload the operator deployed is not ready, in the cluster's own words, so a component's state says what a
/// person must fix instead of only that pods are not available. Two cases, read from Events where no status
/// field carries them:
/// <list type="bullet">
/// <item>A DaemonSet with fewer pods than nodes: its controller records refused creates only as <c>FailedCreate</c>
/// Warning Events on it (Pod Security admission, a missing ServiceAccount, a quota). A Deployment has them in its
/// <c>ReplicaFailure</c> condition, read from its status.</item>
/// <item>Pods that exist but are not available: the kubelet's Warning Events on them (a ConfigMap volume that does not
/// exist, an image that cannot be pulled, a container that keeps crashing, failing probes).</item>
/// </list>
/// Only while the workload is not ready, one list with a field selector at most once per <see cref="RecheckInterval"/>
/// per workload; nothing is read for ready workloads, so a converged cluster costs nothing.
/// </summary>
public sealed class PodProblems(IKubernetes client, TimeProvider time)
{
    /// <summary>How long one lookup's answer is reused while the workload stays not ready.</summary>
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(20);

    /// <summary>Pod Events older than this are from problems that may be gone (kubelets repeat a live one within it).</summary>
    public static readonly TimeSpan PodEventWindow = TimeSpan.FromMinutes(5);

    private const string PodSecurityMarker = "violates PodSecurity";

    // One pass asks about every not-ready workload of the namespace within moments, and each would list the same pod
    // Warnings: one list per namespace serves them all for this long.
    private static readonly TimeSpan SharedListWindow = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, (DateTimeOffset At, string? Reason)> _last = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, IList<Corev1Event> Items)> _podWarnings = new(StringComparer.Ordinal);

    /// <summary>
    /// The reason to report for a DaemonSet or Deployment that is not ready for <paramref name="notReadyReason"/>:
    /// the newest refusal or pod problem the cluster recorded for it, or null when there is none to add.
    /// </summary>
    public async Task<string?> ReasonAsync(KubeObject workload, string notReadyReason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var uid = workload.Metadata.Uid;
        if (string.IsNullOrEmpty(uid) || workload.Kind is not ("DaemonSet" or "Deployment") || WorkloadReadiness.Stale(workload))
        {
            return null;
        }

        // Read from the workload itself, so never cached: it is as current as the status the caller holds.
        if (ReplicaFailure(workload) is { } failure)
        {
            return DescribeRefusal(failure);
        }

        var now = time.GetUtcNow();
        if (_last.TryGetValue(uid, out var cached) && now - cached.At < RecheckInterval)
        {
            return cached.Reason;
        }

        string? reason;
        try
        {
            reason = workload.Kind == "DaemonSet" && WorkloadReadiness.PodsMissing(workload)
                ? await RefusalAsync(workload, cancellationToken).ConfigureAwait(false)
                : await PodEventAsync(workload, notReadyReason, now, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && (ApiErrors.IsTransient(ex) || ApiErrors.StatusOf(ex) is not null))
        {
            // Diagnostics only: without the Event the component still reports that pods are not available.
            reason = null;
        }

        _last[uid] = (now, reason);
        return reason;
    }

    /// <summary>Forgets a workload that became ready, so its next trouble is looked up at once.</summary>
    public void Forget(KubeObject workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        if (!string.IsNullOrEmpty(workload.Metadata.Uid))
        {
            _last.TryRemove(workload.Metadata.Uid, out _);
        }
    }

    // A Deployment carries its ReplicaSet's refused creates in its own status (condition ReplicaFailure, reason
    // FailedCreate, the server's message), so no Event needs reading.
    private static string? ReplicaFailure(KubeObject workload)
    {
        if (workload.Kind != "Deployment" || workload.Field("status") is not { ValueKind: JsonValueKind.Object } status ||
            !status.TryGetProperty("conditions", out var conditions) || conditions.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var condition in conditions.EnumerateArray())
        {
            if (condition.TryGetProperty("type", out var type) && type.GetString() == "ReplicaFailure" &&
                condition.TryGetProperty("status", out var value) && value.GetString() == "True" &&
                condition.TryGetProperty("message", out var message) && message.GetString() is { Length: > 0 } text)
            {
                return text;
            }
        }

        return null;
    }

    private async Task<string?> RefusalAsync(KubeObject daemonSet, CancellationToken cancellationToken)
    {
        var events = await client.CoreV1.ListNamespacedEventAsync(daemonSet.Metadata.NamespaceProperty,
            fieldSelector: $"involvedObject.uid={daemonSet.Metadata.Uid},reason=FailedCreate", cancellationToken: cancellationToken).ConfigureAwait(false);
        var newest = events.Items.OrderByDescending(When).FirstOrDefault();
        return newest?.Message is { Length: > 0 } message ? DescribeRefusal(message) : null;
    }

    private async Task<string?> PodEventAsync(KubeObject workload, string notReadyReason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ns = workload.Metadata.NamespaceProperty;
        if (!_podWarnings.TryGetValue(ns, out var listed) || now - listed.At >= SharedListWindow)
        {
            var events = await client.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: "involvedObject.kind=Pod,type=Warning",
                cancellationToken: cancellationToken).ConfigureAwait(false);
            listed = (now, events.Items);
            _podWarnings[ns] = listed;
        }

        var pods = PodNames(workload);
        var newest = listed.Items
            .Where(e => e.InvolvedObject?.Name is { } pod && pods.IsMatch(pod) && now - When(e) <= PodEventWindow)
            .OrderByDescending(Telling)
            .ThenByDescending(When)
            .FirstOrDefault();
        if (newest?.Message is not { Length: > 0 } message)
        {
            return null;
        }

        var node = newest.Source?.Host is { Length: > 0 } host ? $" on {host}" : string.Empty;
        return $"{notReadyReason}; pod {newest.InvolvedObject.Name}{node}: {newest.Reason}: {message.Trim()}";
    }

    // The names the workload's controllers give its pods: <daemonset>-xxxxx, or <deployment>-<template hash>-xxxxx.
    private static Regex PodNames(KubeObject workload)
    {
        var name = Regex.Escape(workload.Metadata.Name);
        return workload.Kind == "DaemonSet"
            ? new Regex($"^{name}-[a-z0-9]{{5}}$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))
            : new Regex($"^{name}-[a-z0-9]{{1,10}}-[a-z0-9]{{5}}$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    // The kubelet follows a cause ("Failed to pull image ...: not found") with its echoes ("Error: ErrImagePull",
    // "Back-off pulling image ..."); the cause is what the user must fix, so it wins over newer echoes.
    private static int Telling(Corev1Event e) =>
        e.Reason == "BackOff" ? 0 : e.Message?.StartsWith("Error: ", StringComparison.Ordinal) == true ? 1 : 2;

    private static DateTimeOffset When(Corev1Event e) =>
        new(DateTime.SpecifyKind(e.LastTimestamp ?? e.EventTime ?? e.FirstTimestamp ?? e.Metadata.CreationTimestamp ?? DateTime.MinValue, DateTimeKind.Utc));

    // "Error creating: pods "x" is forbidden: violates PodSecurity "restricted:latest": privileged (...), ..." becomes
    // "pods refused by Pod Security admission: violates PodSecurity "restricted:latest": privileged (...), ...".
    private static string DescribeRefusal(string message)
    {
        var podSecurity = message.IndexOf(PodSecurityMarker, StringComparison.Ordinal);
        if (podSecurity >= 0)
        {
            return "pods refused by Pod Security admission (the namespace's pod-security.kubernetes.io/enforce label must allow " +
                   "privileged pods): " + message[podSecurity..];
        }

        const string prefix = "Error creating: ";
        return "pods cannot be created: " + (message.StartsWith(prefix, StringComparison.Ordinal) ? message[prefix.Length..] : message);
    }
}
