using System.Threading.Channels;

namespace NetworkOperator.Simulator.Cluster.Informers;

/// <summary>
/// A keyed work queue with client-go semantics: a key waiting in the queue is not added twice, a key being processed
/// that is added again is processed once more afterwards, and a key is never processed by two workers at once. This
/// is what lets a controller absorb thousands of events for one object as a handful of syncs.
/// </summary>
internal sealed class WorkQueue
{
    private readonly Channel<string> _channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly HashSet<string> _processing = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;

    public WorkQueue(TimeProvider time)
    {
        _time = time;
    }

    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _dirty.Count + _processing.Count;
            }
        }
    }

    public void Add(string key)
    {
        lock (_lock)
        {
            if (!_dirty.Add(key) || _processing.Contains(key))
            {
                return;
            }
        }

        _channel.Writer.TryWrite(key);
    }

    public void AddAfter(string key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        ITimer? timer = null;
        timer = _time.CreateTimer(_ =>
        {
            Add(key);
            timer?.Dispose();
        }, null, delay, Timeout.InfiniteTimeSpan);
    }

    public async Task RunAsync(int workers, Func<string, CancellationToken, Task> handle, Action<string, Exception> onError, CancellationToken cancellationToken)
    {
        var tasks = Enumerable.Range(0, Math.Max(1, workers)).Select(_ => Task.Run(() => WorkerAsync(handle, onError, cancellationToken), cancellationToken));
        try
        {
            await Task.WhenAll(tasks);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task WorkerAsync(Func<string, CancellationToken, Task> handle, Action<string, Exception> onError, CancellationToken cancellationToken)
    {
        await foreach (var key in _channel.Reader.ReadAllAsync(cancellationToken))
        {
            lock (_lock)
            {
                _dirty.Remove(key);
                _processing.Add(key);
            }

            try
            {
                await handle(key, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // a failed sync must not stop the controller; it is reported and retried
            catch (Exception e)
#pragma warning restore CA1031
            {
                onError(key, e);
                AddAfter(key, TimeSpan.FromMilliseconds(200));
            }
            finally
            {
                bool again;
                lock (_lock)
                {
                    _processing.Remove(key);
                    again = _dirty.Contains(key);
                }

                if (again)
                {
                    _channel.Writer.TryWrite(key);
                }
            }
        }
    }
}
