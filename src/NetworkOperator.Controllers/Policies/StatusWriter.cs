using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using NetworkOperator.Runtime.Apply;
using NetworkOperator.Runtime.Cache;
using NetworkOperator.Runtime.Client;

namespace NetworkOperator.Controllers.Policies;

/// <summary>
/// Writes a custom resource's status subresource only when it differs from what the cache holds, so a steady world
/// costs no writes. A conflict (the cache was behind) is reported to the caller, whose reconcile is retried. What a
/// write returns goes into the informer cache at once (<paramref name="cache"/>), so a reconcile that runs before the
/// watch event arrives compares against our own write instead of writing the same status again.
/// </summary>
public sealed class StatusWriter(IKubernetes client, ILogger logger, SharedInformerFactory? cache = null)
{
    public async Task<bool> WriteIfChangedAsync<T, TStatus>(T cached, TStatus desired, Func<T, TStatus?> get, Action<T, TStatus> set,
        CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
        where TStatus : class
    {
        ArgumentNullException.ThrowIfNull(get);
        ArgumentNullException.ThrowIfNull(set);
        if (SameJson(get(cached), desired))
        {
            return false;
        }

        var copy = KubeObjects.Clone(cached);
        set(copy, desired);
        try
        {
            var written = await new ResourceClient<T>(client).ReplaceStatusAsync(copy, cancellationToken: cancellationToken).ConfigureAwait(false);
            Assume(written);
        }
        catch (Exception ex) when (ApiErrors.IsNotFound(ex))
        {
            // Deleted meanwhile: nothing left to report on.
            return false;
        }
        catch (Exception ex) when (ApiErrors.IsConflict(ex))
        {
            ControllersLog.StatusConflict(logger, cached.Kind, cached.Metadata.Name);
            throw;
        }

        return true;
    }

    /// <summary>Puts an object a write of ours returned into the cache before its watch event arrives.</summary>
    public void Assume<T>(T written)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(written);
        cache?.GetInformer<T>().Assume(written);
    }

    public static bool SameJson<TStatus>(TStatus? a, TStatus? b)
        where TStatus : class =>
        (a is null ? "null" : KubernetesJson.Serialize(a)) == (b is null ? "null" : KubernetesJson.Serialize(b));
}
