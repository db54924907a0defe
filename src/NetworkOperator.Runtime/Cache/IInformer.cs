using NetworkOperator.Api;

namespace NetworkOperator.Runtime.Cache;

/// <summary>The kind-independent face of an informer, for factories and managers.</summary>
public interface IInformer
{
    ResourceKind Kind { get; }

    bool HasSynced { get; }

    bool IsRunning { get; }

    Task RunAsync(CancellationToken cancellationToken);

    Task WaitForSyncAsync(CancellationToken cancellationToken);
}
