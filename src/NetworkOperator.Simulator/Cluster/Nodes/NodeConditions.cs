using k8s.Models;

namespace NetworkOperator.Simulator.Cluster.Nodes;

/// <summary>The node conditions a healthy kubelet reports.</summary>
public static class NodeConditions
{
    public static V1NodeCondition Ready(DateTime now) => new()
    {
        Type = "Ready",
        Status = "True",
        Reason = "KubeletReady",
        Message = "kubelet is posting ready status",
        LastHeartbeatTime = now,
        LastTransitionTime = now,
    };

    public static bool IsReady(V1Node node) =>
        node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status == "True";
}
