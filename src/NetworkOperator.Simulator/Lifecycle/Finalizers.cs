namespace NetworkOperator.Simulator.Lifecycle;

/// <summary>The finalizers the server itself adds and honours.</summary>
public static class Finalizers
{
    public const string Orphan = "orphan";
    public const string ForegroundDeletion = "foregroundDeletion";
    public const string CustomResourceCleanup = "customresourcecleanup.apiextensions.k8s.io";

    /// <summary>Namespaces carry this one in spec.finalizers, removed through the /finalize subresource.</summary>
    public const string Kubernetes = "kubernetes";
}
