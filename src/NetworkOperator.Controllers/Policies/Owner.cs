using k8s;
using k8s.Models;

namespace NetworkOperator.Controllers.Policies;

/// <summary>The custom resource whose objects are being reconciled: it becomes their controller owner.</summary>
public sealed record Owner(string ApiVersion, string Kind, string Name, string Uid)
{
    public static Owner Of(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return new Owner(obj.ApiVersion, obj.Kind, obj.Metadata.Name, obj.Metadata.Uid);
    }

    public V1OwnerReference Reference() => new()
    {
        ApiVersion = ApiVersion, Kind = Kind, Name = Name, Uid = Uid, Controller = true, BlockOwnerDeletion = true,
    };

    public bool Controls(V1ObjectMeta metadata) =>
        (metadata?.OwnerReferences ?? []).Any(r => r.Controller == true && r.Uid == Uid);

    public override string ToString() => $"{Kind}/{Name}";
}
