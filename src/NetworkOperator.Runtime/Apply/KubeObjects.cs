using k8s;

namespace NetworkOperator.Runtime.Apply;

/// <summary>Helpers for objects read from the cache, which are shared and must be copied before being changed.</summary>
public static class KubeObjects
{
    /// <summary>A deep copy through the Kubernetes JSON serialiser (the same shape the API server sees).</summary>
    public static T Clone<T>(T obj)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(obj);
        return KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(obj));
    }
}
