using k8s;

namespace NetworkOperator.Runtime.Client;

/// <summary>
/// One watch event decoded on its own: either <see cref="Value"/> or, when the object does not fit the model,
/// <see cref="Invalid"/> (whose resourceVersion still moves the watch on).
/// </summary>
public sealed record DecodedEvent<T>(WatchEventType Type, T? Value, InvalidObject? Invalid)
    where T : class;
