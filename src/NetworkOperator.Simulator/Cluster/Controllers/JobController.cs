using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using NetworkOperator.Simulator.ApiServer;
using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Serialization;

namespace NetworkOperator.Simulator.Cluster.Controllers;

/// <summary>
/// The Job controller for NonIndexed Jobs: keeps min(parallelism, remaining completions) pods active (with completions
/// unset, the first success completes the Job), counts succeeded and failed pods, fails the Job past backoffLimit or
/// activeDeadlineSeconds (deleting its active pods), and writes the status as Kubernetes 1.32 does: startTime, active,
/// ready, terminating, succeeded, failed, uncountedTerminatedPods, completionTime, and the conditions
/// SuccessCriteriaMet then Complete, or FailureTarget then Failed. Finished Jobs with ttlSecondsAfterFinished are
/// deleted when it expires (the TTL-after-finished controller's part).
/// </summary>
internal sealed class JobController(ClusterContext context)
    : OwningController<V1Job, V1Pod>(context, Component, context.JobInformer, context.PodInformer, "Job")
{
    private const string Component = "job-controller";
    private readonly FailureBackoff _backoff = new();

    protected override async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var job = Context.JobInformer.Get(key);
        if (job is null || job.Metadata.DeletionTimestamp is not null)
        {
            return;
        }

        var ns = job.Metadata.NamespaceProperty;
        var now = Context.Time.GetUtcNow();
        if (FinishedAt(job) is { } finished)
        {
            await ExpireAsync(key, job, finished, now, cancellationToken);
            return;
        }

        if (job.Spec.Suspend == true)
        {
            return;
        }

        var pods = Children.Of(job.Metadata.Uid).ToList();
        var active = pods.Where(PodState.IsActive).ToList();
        var succeeded = pods.Count(p => p.Status?.Phase == "Succeeded");
        var failed = pods.Count(p => p.Status?.Phase == "Failed");
        var start = job.Status?.StartTime is { } s ? new DateTimeOffset(DateTime.SpecifyKind(s, DateTimeKind.Utc)) : now;
        var parallelism = job.Spec.Parallelism ?? 1;
        var completions = job.Spec.Completions;
        var deadline = job.Spec.ActiveDeadlineSeconds is { } seconds ? start.AddSeconds(seconds) : (DateTimeOffset?)null;

        (string Reason, string Message)? failure =
            failed > (job.Spec.BackoffLimit ?? 6) ? ("BackoffLimitExceeded", "Job has reached the specified backoff limit")
            : deadline is { } d && now >= d ? ("DeadlineExceeded", "Job was active longer than specified deadline")
            : null;
        var complete = failure is null && (completions is { } c ? succeeded >= c : succeeded > 0 && active.Count == 0);

        if (failure is not null || complete)
        {
            // Pods still running when the Job is decided are no longer needed.
            foreach (var pod in active)
            {
                await DeleteAsync(pod, cancellationToken);
            }

            active.Clear();
        }
        else
        {
            var want = completions is { } total ? Math.Min(parallelism, total - succeeded) : succeeded > 0 ? 0 : parallelism;
            var missing = want - active.Count;
            if (missing > 0)
            {
                var (created, refused) = await PodCreator.CreateAsync(Context, job, [.. Enumerable.Range(0, missing).Select(_ => NewPod(job))], Component,
                    cancellationToken);
                if (created > 0)
                {
                    await Context.RecordEventAsync(job, "Normal", "SuccessfulCreate", $"Created {created} pod(s)", Component, null, cancellationToken);
                }

                if (refused is null)
                {
                    _backoff.Reset(key);
                }
                else
                {
                    Queue.AddAfter(key, _backoff.Next(key));
                }

                active = [.. Children.Of(job.Metadata.Uid).Where(PodState.IsActive)];
            }

            if (deadline is { } due)
            {
                Queue.AddAfter(key, due - now + TimeSpan.FromMilliseconds(10));
            }
        }

        var stamp = Timestamp.Format(now);
        var status = new JsonObject
        {
            ["startTime"] = job.Status?.StartTime is { } started ? Timestamp.Format(new DateTimeOffset(DateTime.SpecifyKind(started, DateTimeKind.Utc))) : stamp,
            ["active"] = active.Count == 0 ? null : active.Count,
            ["ready"] = active.Count(PodState.IsReady),
            ["terminating"] = pods.Count(PodState.IsTerminating),
            ["succeeded"] = succeeded == 0 ? null : succeeded,
            ["failed"] = failed == 0 ? null : failed,
            ["uncountedTerminatedPods"] = new JsonObject(),
        };
        if (failure is { } f)
        {
            status["conditions"] = new JsonArray(Condition("FailureTarget", f.Reason, f.Message, stamp), Condition("Failed", f.Reason, f.Message, stamp));
            await Context.RecordEventAsync(job, "Warning", f.Reason, f.Message, Component, null, cancellationToken);
        }
        else if (complete)
        {
            const string message = "Reached expected number of succeeded pods";
            status["conditions"] = new JsonArray(Condition("SuccessCriteriaMet", "CompletionsReached", message, stamp),
                Condition("Complete", "CompletionsReached", message, stamp));
            status["completionTime"] = stamp;
            await Context.RecordEventAsync(job, "Normal", "Completed", "Job completed", Component, null, cancellationToken);
        }

        if (Changed(job.Status, status))
        {
            var written = await Context.PatchStatusAsync(Context.Jobs, ns, job.Metadata.Name, new JsonObject(status.Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))),
                cancellationToken);
            Context.JobInformer.Assume(written);
            if (FinishedAt(ClusterContext.FromStored<V1Job>(written)) is { } done)
            {
                await ExpireAsync(key, job, done, now, cancellationToken);
            }
        }
    }

    private static JsonObject Condition(string type, string reason, string message, string now) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastProbeTime"] = now,
        ["lastTransitionTime"] = now,
        ["reason"] = reason,
        ["message"] = message,
    };

    private static DateTimeOffset? FinishedAt(V1Job job)
    {
        var condition = job.Status?.Conditions?.FirstOrDefault(c => c.Type is "Complete" or "Failed" && c.Status == "True");
        return condition?.LastTransitionTime is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null;
    }

    private static bool Changed(V1JobStatus? old, JsonObject status) =>
        old is null
        || (old.Active ?? 0) != (status["active"].GetInt64() ?? 0)
        || (old.Ready ?? 0) != (status["ready"].GetInt64() ?? 0)
        || (old.Terminating ?? 0) != (status["terminating"].GetInt64() ?? 0)
        || (old.Succeeded ?? 0) != (status["succeeded"].GetInt64() ?? 0)
        || (old.Failed ?? 0) != (status["failed"].GetInt64() ?? 0)
        || old.StartTime is null
        || (old.Conditions?.Count ?? 0) != ((status["conditions"] as JsonArray)?.Count ?? 0);

    // The TTL-after-finished controller: a finished Job with ttlSecondsAfterFinished is deleted (its pods with it).
    private async Task ExpireAsync(string key, V1Job job, DateTimeOffset finished, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (job.Spec.TtlSecondsAfterFinished is not { } ttl)
        {
            return;
        }

        var expiry = finished.AddSeconds(ttl);
        if (now < expiry)
        {
            Queue.AddAfter(key, expiry - now);
            return;
        }

        try
        {
            await Context.Api.DeleteAsync(Context.Jobs, job.Metadata.NamespaceProperty, job.Metadata.Name,
                new DeleteOptions { PropagationPolicy = "Foreground", PreconditionUid = job.Metadata.Uid }, cancellationToken);
        }
        catch (ApiException e) when (e.Code is 404 or 409)
        {
        }
    }

    private async Task DeleteAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        try
        {
            var result = await Context.Api.DeleteAsync(Context.Pods, pod.Metadata.NamespaceProperty, pod.Metadata.Name, null, cancellationToken);
            Context.Counters.PodDeleted();
            if (result.Deleted)
            {
                Context.PodInformer.AssumeDeleted(result.Object);
            }
            else
            {
                Context.PodInformer.Assume(result.Object);
            }
        }
        catch (ApiException e) when (e.Code == 404)
        {
        }
    }

    private static V1Pod NewPod(V1Job job)
    {
        var template = KubernetesJson.Deserialize<V1PodTemplateSpec>(KubernetesJson.Serialize(job.Spec.Template));
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                GenerateName = job.Metadata.Name + "-",
                NamespaceProperty = job.Metadata.NamespaceProperty,
                Labels = template.Metadata?.Labels,
                Annotations = template.Metadata?.Annotations,
                OwnerReferences = [OwnerReferences.ControllerOf("batch/v1", "Job", job.Metadata)],
            },
            Spec = template.Spec,
        };
    }
}
