using k8s.Models;

namespace NetworkOperator.Api.Serialization;

/// <summary>A kind the manifest reader can turn into a typed object.</summary>
public sealed record ReadableKind(string ApiVersion, string Kind, Type ClrType, bool Strict)
{
    /// <summary>
    /// Our kinds, read strictly, plus core/v1 Node (for <c>render --nodes</c>) and ConfigMap (those the driver's
    /// certConfig/repoConfig name often sit in the same file). Both are read leniently: they usually come from
    /// <c>kubectl get -o yaml</c> of clusters newer than our client models, and unknown fields change nothing we use.
    /// </summary>
    public static IReadOnlyList<ReadableKind> Default { get; } =
    [
        .. ResourceKinds.All.Select(k => new ReadableKind(k.ApiVersion, k.Kind, k.ClrType!, Strict: true)),
        new ReadableKind(V1Node.KubeApiVersion, V1Node.KubeKind, typeof(V1Node), Strict: false),
        new ReadableKind(V1ConfigMap.KubeApiVersion, V1ConfigMap.KubeKind, typeof(V1ConfigMap), Strict: false),
    ];
}
