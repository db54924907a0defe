using NetworkOperator.Api.Cni;
using NetworkOperator.Api.Serialization;
using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Api.Defaulting;

/// <summary>
/// The CRD defaults of each kind, for code paths that never pass through an API server (offline <c>render</c>, tests).
/// Every overload returns a defaulted copy and leaves its argument untouched. Only schema defaults are applied here;
/// run-time defaults such as OFED probe timings or the NAD namespace belong to the code that uses them.
/// </summary>
public static class Defaults
{
    public static NicClusterPolicy Apply(NicClusterPolicy policy) => ApplyTo(policy);

    public static NicNodePolicy Apply(NicNodePolicy policy) => ApplyTo(policy);

    public static MacvlanNetwork Apply(MacvlanNetwork network) => ApplyTo(network);

    public static HostDeviceNetwork Apply(HostDeviceNetwork network) => ApplyTo(network);

    public static IPoIBNetwork Apply(IPoIBNetwork network) => ApplyTo(network);

    public static NetworkAttachmentDefinition Apply(NetworkAttachmentDefinition definition) => ApplyTo(definition);

    /// <summary>For callers holding an object of one of our kinds without its static type; other objects are returned unchanged.</summary>
    public static object ApplyAny(object value) => ResourceKinds.Find(value.GetType()) is null ? value : ApplyTo(value);

    private static T ApplyTo<T>(T value)
        where T : class
    {
        var copy = KubernetesObjectSerializer.Clone(value);
        SchemaDefaults.ApplyInPlace(copy);
        return copy;
    }
}
