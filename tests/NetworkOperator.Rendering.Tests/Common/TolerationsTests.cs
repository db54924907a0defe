using NetworkOperator.Tests.Shared;
using k8s.Models;
using NetworkOperator.Rendering.Common;

namespace NetworkOperator.Rendering.Tests.Common;

public class TolerationsTests
{
    private static readonly V1Taint Dedicated = new() { Key = "dedicated", Value = "ai", Effect = "NoSchedule" };

    [Fact]
    public void Equal_operator_needs_key_and_value()
    {
        Assert.True(Tolerations.Tolerates(new V1Toleration { Key = "dedicated", Value = "ai", Effect = "NoSchedule" }, Dedicated));
        Assert.True(Tolerations.Tolerates(new V1Toleration { Key = "dedicated", OperatorProperty = "Equal", Value = "ai" }, Dedicated));
        Assert.False(Tolerations.Tolerates(new V1Toleration { Key = "dedicated", Value = "web" }, Dedicated));
    }

    [Fact]
    public void Exists_ignores_the_value_and_empty_key_matches_everything()
    {
        Assert.True(Tolerations.Tolerates(new V1Toleration { Key = "dedicated", OperatorProperty = "Exists" }, Dedicated));
        Assert.True(Tolerations.Tolerates(new V1Toleration { OperatorProperty = "Exists" }, Dedicated));
        Assert.False(Tolerations.Tolerates(new V1Toleration { Value = "ai" }, Dedicated));
    }

    [Fact]
    public void Effect_must_match_when_given()
    {
        Assert.False(Tolerations.Tolerates(new V1Toleration { Key = "dedicated", OperatorProperty = "Exists", Effect = "NoExecute" }, Dedicated));
    }

    [Fact]
    public void Automatic_daemonset_tolerations_cover_node_conditions_and_gpus()
    {
        var node = TestNodes.Nic("n1", taints: [new V1Taint { Key = "node.kubernetes.io/unschedulable", Effect = "NoSchedule" }, new V1Taint { Key = "nvidia.com/gpu", Value = "present", Effect = "NoSchedule" }]);
        Assert.True(Tolerations.ToleratesAll(Tolerations.DaemonSetAutomatic, node));
        node.Spec.Taints.Add(Dedicated);
        Assert.False(Tolerations.ToleratesAll(Tolerations.DaemonSetAutomatic, node));
    }

    [Fact]
    public void WithGpu_keeps_policy_tolerations_first()
    {
        var list = Tolerations.WithGpu([new V1Toleration { Key = "a", OperatorProperty = "Exists" }]);
        Assert.Equal(["a", "nvidia.com/gpu"], list.Select(t => t.Key));
    }
}
