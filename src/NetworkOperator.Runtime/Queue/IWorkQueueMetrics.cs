namespace NetworkOperator.Runtime.Queue;

/// <summary>Hooks a queue calls so metrics can be exported without the queue knowing the metrics library.</summary>
public interface IWorkQueueMetrics
{
    void Added();

    void DepthChanged(int depth);

    /// <summary>Time an item waited in the queue before a worker took it.</summary>
    void Waited(TimeSpan latency);

    /// <summary>Time a worker held an item (from Get to Done).</summary>
    void Worked(TimeSpan duration);

    void Retried();
}

internal sealed class NoWorkQueueMetrics : IWorkQueueMetrics
{
    public static readonly NoWorkQueueMetrics Instance = new();

    public void Added()
    {
    }

    public void DepthChanged(int depth)
    {
    }

    public void Waited(TimeSpan latency)
    {
    }

    public void Worked(TimeSpan duration)
    {
    }

    public void Retried()
    {
    }
}
