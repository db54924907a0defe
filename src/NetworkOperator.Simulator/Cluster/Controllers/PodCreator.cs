using k8s;
using k8s.Models;
using NetworkOperator.Simulator.Errors;

namespace NetworkOperator.Simulator.Cluster.Controllers;

/// <summary>
/// Pod creation as kube-controller-manager's workload controllers do it: in slow-start batches (1, 2, 4, ...) that
/// stop at the first refusal, so a template the API server refuses (Pod Security, quota, validation) costs one request
/// per sync rather than one per missing pod; each refusal is a <c>FailedCreate</c> Warning Event on the workload with
/// <c>Error creating: &lt;the server's message&gt;</c>.
/// </summary>
internal static class PodCreator
{
    private const int MaxParallel = 8;

    /// <summary>Creates <paramref name="pods"/>; returns how many were created and the first refusal, if any.</summary>
    public static async Task<(int Created, ApiException? Error)> CreateAsync(ClusterContext context, IKubernetesObject<V1ObjectMeta> owner,
        IReadOnlyList<V1Pod> pods, string component, CancellationToken cancellationToken)
    {
        var ns = owner.Metadata.NamespaceProperty;
        var created = 0;
        var batch = 1;
        while (created < pods.Count)
        {
            var slice = pods.Skip(created).Take(Math.Min(batch, pods.Count - created)).ToList();
            var succeeded = 0;
            ApiException? error = null;
            await Parallel.ForEachAsync(slice, new ParallelOptions { MaxDegreeOfParallelism = MaxParallel, CancellationToken = cancellationToken },
                async (pod, ct) =>
                {
                    try
                    {
                        var stored = await context.Api.CreateAsync(context.Pods, ns, ClusterContext.ToJson(pod), null, ct);
                        context.Counters.PodCreated();
                        context.PodInformer.Assume(stored);
                        Interlocked.Increment(ref succeeded);
                    }
                    catch (ApiException e)
                    {
                        Interlocked.CompareExchange(ref error, e, null);
                        // Pods refused because their namespace is going away are expected, and not reported.
                        if (!(e.Code == 403 && e.Message.Contains("because it is being terminated", StringComparison.Ordinal)))
                        {
                            await context.RecordEventAsync(owner, "Warning", "FailedCreate", $"Error creating: {e.Message}", component, null, ct);
                        }
                    }
                });
            created += succeeded;
            if (error is not null)
            {
                return (created, error);
            }

            batch *= 2;
        }

        return (created, null);
    }
}
