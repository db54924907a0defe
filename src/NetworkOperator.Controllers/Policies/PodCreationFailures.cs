using System.Collections.Concurrent;
using System.Text.Json;
using k8s;
using NetworkOperator.Runtime.Client;

namespace NetworkOperator.Controllers.Policies;

/// <summary>
/// Why a DaemonSet has fewer pods than nodes it should run on. A DaemonSet's status has no condition for refused pod
/// creates: the DaemonSet controller only records a <c>FailedCreate</c> Warning Event on it (for instance when Pod
/// Security admission refuses the pods in a namespace labelled <c>restricted</c>). So, only while pods are missing, the
/// newest such Event is read (one list with a field selector, at most once per <see cref="RecheckInterval"/> per
/// DaemonSet) and its message becomes the component's reason instead of a silent wait.
/// </summary>
public sealed class PodCreationFailures(IKubernetes client, TimeProvider time)
{
    /// <summary>How long one lookup's answer is reused while the DaemonSet stays short of pods.</summary>
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(20);

    private const string PodSecurityMarker = "violates PodSecurity";

    private readonly ConcurrentDictionary<string, (DateTimeOffset At, string? Reason)> _last = new(StringComparer.Ordinal);

    /// <summary>
    /// Null when the DaemonSet's controller has created a pod for every node it should run on (or has not yet observed
    /// the current generation), or when no refusal was recorded; otherwise a short reason naming the refusal.
    /// </summary>
    public async Task<string?> ReasonAsync(KubeObject daemonSet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(daemonSet);
        var uid = daemonSet.Metadata.Uid;
        if (daemonSet.Kind != "DaemonSet" || string.IsNullOrEmpty(uid) || !PodsMissing(daemonSet))
        {
            if (!string.IsNullOrEmpty(uid))
            {
                _last.TryRemove(uid, out _);
            }

            return null;
        }

        var now = time.GetUtcNow();
        if (_last.TryGetValue(uid, out var cached) && now - cached.At < RecheckInterval)
        {
            return cached.Reason;
        }

        string? reason;
        try
        {
            var events = await client.CoreV1.ListNamespacedEventAsync(daemonSet.Metadata.NamespaceProperty,
                fieldSelector: $"involvedObject.uid={uid},reason=FailedCreate", cancellationToken: cancellationToken).ConfigureAwait(false);
            var newest = events.Items
                .OrderByDescending(e => e.LastTimestamp ?? e.EventTime ?? e.FirstTimestamp ?? e.Metadata.CreationTimestamp ?? DateTime.MinValue)
                .FirstOrDefault();
            reason = newest?.Message is { Length: > 0 } message ? Describe(message) : null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException && (ApiErrors.IsTransient(ex) || ApiErrors.StatusOf(ex) is not null))
        {
            // Diagnostics only: without the Event the component still reports that pods are missing.
            reason = null;
        }

        _last[uid] = (now, reason);
        return reason;
    }

    /// <summary>Fewer pods scheduled than nodes that should run one, as counted by a controller that saw this generation.</summary>
    public static bool PodsMissing(KubeObject daemonSet)
    {
        ArgumentNullException.ThrowIfNull(daemonSet);
        if (daemonSet.Field("status") is not { ValueKind: JsonValueKind.Object } status)
        {
            return false;
        }

        var observed = Number(status, "observedGeneration");
        if (daemonSet.Metadata.Generation is { } generation && observed < generation)
        {
            return false;
        }

        return Number(status, "currentNumberScheduled") < Number(status, "desiredNumberScheduled");
    }

    // "Error creating: pods "x" is forbidden: violates PodSecurity "restricted:latest": privileged (...), ..." becomes
    // "pods refused by Pod Security admission: violates PodSecurity "restricted:latest": privileged (...), ...".
    private static string Describe(string message)
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

    private static long Number(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;
}
