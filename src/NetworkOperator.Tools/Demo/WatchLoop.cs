using k8s;
using k8s.Models;

namespace NetworkOperator.Tools.Demo;

/// <summary>
/// Keeps one watch of the demo's views going until cancelled: events are applied under the caller's lock, and a
/// broken watch (including 410 Expired after falling behind) starts again from a fresh list.
/// </summary>
internal static class WatchLoop
{
    public static async Task FollowAsync<T>(Lock gate, string resourceVersion, Func<string, IAsyncEnumerable<(WatchEventType, T)>> watch,
        Action<WatchEventType, T> apply, Func<CancellationToken, Task<(string ResourceVersion, Action Reset)>> relist,
        CancellationToken cancellationToken)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var broken = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (broken)
                {
                    var (version, reset) = await relist(cancellationToken).ConfigureAwait(false);
                    lock (gate)
                    {
                        reset();
                    }

                    resourceVersion = version;
                    broken = false;
                }

                await foreach (var (type, item) in watch(resourceVersion).ConfigureAwait(false))
                {
                    if (type == WatchEventType.Error)
                    {
                        throw new InvalidOperationException("the watch reported an error");
                    }

                    resourceVersion = item.ResourceVersion();
                    if (type == WatchEventType.Bookmark)
                    {
                        continue;
                    }

                    lock (gate)
                    {
                        apply(type, item);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                broken = true;
                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
