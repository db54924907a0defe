using k8s;
using k8s.Models;
using NetworkOperator.Api;

namespace NetworkOperator.Controllers.Policies;

/// <summary>
/// The custom resource whose objects are being reconciled: it becomes their controller owner. <see cref="Generation"/>
/// is the spec generation the objects were rendered from, and <see cref="Resource"/> lets the applier read the owner
/// back before it creates anything for it (<see cref="OwnerGuard"/>).
/// </summary>
public sealed record Owner(string ApiVersion, string Kind, string Name, string Uid, long? Generation = null, ResourceKind? Resource = null)
{
    public static Owner Of(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return new Owner(obj.ApiVersion, obj.Kind, obj.Metadata.Name, obj.Metadata.Uid, obj.Metadata.Generation, ResourceKinds.For(obj.GetType()));
    }

    public V1OwnerReference Reference() => new()
    {
        ApiVersion = ApiVersion, Kind = Kind, Name = Name, Uid = Uid, Controller = true, BlockOwnerDeletion = true,
    };

    public bool Controls(V1ObjectMeta metadata) =>
        (metadata?.OwnerReferences ?? []).Any(r => r.Controller == true && r.Uid == Uid);

    public override string ToString() => $"{Kind}/{Name}";
}
