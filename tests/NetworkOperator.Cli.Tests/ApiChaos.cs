using NetworkOperator.Simulator.Diagnostics;

namespace NetworkOperator.Cli.Tests;

/// <summary>
/// The API faults the chaos tests run the operator under: a share of requests failing with 500, 503 and 429 alike on
/// every verb and resource, and every watch closed every 2 s, every other round answered with 410 Expired.
/// </summary>
internal sealed class ApiChaos : IAsyncDisposable
{
    private readonly FaultInjector _faults;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _churn;
    private int _disposed;

    private ApiChaos(FaultInjector faults)
    {
        _faults = faults;
        _churn = ChurnWatchesAsync(faults, _stop.Token);
    }

    /// <param name="faults">The simulated API server's fault injector.</param>
    /// <param name="errorRate">The share of requests that fail, split evenly over 500, 503 and 429.</param>
    /// <param name="user">Only this user's requests fail (null: everyone's); watches are closed for every client.</param>
    public static ApiChaos Start(FaultInjector faults, double errorRate, string? user = null)
    {
        foreach (var code in new[] { 500, 503, 429 })
        {
            faults.AddRule(new FaultRule(null, null, code, errorRate / 3, user));
        }

        return new ApiChaos(faults);
    }

    /// <summary>Stops the watch churn and removes every fault; a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        await _churn;
        _faults.Clear();
        _stop.Dispose();
    }

    private static async Task ChurnWatchesAsync(FaultInjector faults, CancellationToken cancellationToken)
    {
        var round = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (++round % 2 == 0)
            {
                faults.ExpireNextWatches(3);
            }

            faults.CloseAllWatches();
        }
    }
}
