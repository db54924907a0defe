using k8s.Models;

namespace NetworkOperator.Simulator.Cluster.Controllers;

/// <summary>Controller owner references as workload controllers write them (controller and blockOwnerDeletion true).</summary>
public static class OwnerReferences
{
    public static V1OwnerReference ControllerOf(string apiVersion, string kind, V1ObjectMeta owner) => new()
    {
        ApiVersion = apiVersion,
        Kind = kind,
        Name = owner.Name,
        Uid = owner.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    public static V1OwnerReference? Controller(V1ObjectMeta? meta) =>
        meta?.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
}
