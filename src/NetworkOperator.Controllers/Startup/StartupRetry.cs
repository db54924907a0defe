using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Logging;
using NetworkOperator.Runtime.Cache;
using NetworkOperator.Runtime.Client;

namespace NetworkOperator.Controllers.Startup;

/// <summary>
/// Runs each start-up read until the API server answers: a refused or unreachable server, a 5xx, a 429 or a
/// forbidden read (RBAC not bound yet) is logged as one line per attempt, without a stack trace, and retried with the
/// reflector's backoff (0.5 s doubling to 30 s, jittered), so an operator started before its API server is reachable
/// waits for it instead of crashing. Nothing serves /readyz meanwhile, so the pod stays unready.
/// </summary>
public sealed class StartupRetry(ILogger logger, TimeProvider time)
{
    private readonly ReflectorBackoff _backoff = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), time);

    /// <summary>Attempts made so far that failed and were retried (for tests and diagnostics).</summary>
    public int Retries { get; private set; }

    public async Task<T> RunAsync<T>(string operation, Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await read(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && Retryable(ex))
            {
                var delay = _backoff.NextDelay();
                Retries++;
                ControllersLog.StartupRetry(logger, attempt, delay, operation, ApiErrors.Describe(ex));
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public Task RunAsync(string operation, Func<CancellationToken, Task> action, CancellationToken cancellationToken) =>
        RunAsync(operation, async ct =>
        {
            await action(ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    // API answers other than 404 (which each read handles itself) and transport failures heal by waiting; a bug
    // (argument, null reference, invalid configuration) does not and must surface.
    private static bool Retryable(Exception ex) => ex switch
    {
        HttpOperationException or KubernetesException => !ApiErrors.IsNotFound(ex),
        HttpRequestException or IOException or TimeoutException or TaskCanceledException => true,
        _ => ex.InnerException is { } inner && Retryable(inner),
    };
}
