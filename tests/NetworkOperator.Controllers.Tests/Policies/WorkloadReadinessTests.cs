using k8s.Models;
using NetworkOperator.Controllers.Policies;
using NetworkOperator.Runtime.Client;

namespace NetworkOperator.Controllers.Tests.Policies;

public sealed class WorkloadReadinessTests
{
    private static KubeObject DaemonSet(int desired, int available, int updated, long generation = 1, long observed = 1) =>
        KubeObject.From(new V1DaemonSet
        {
            ApiVersion = "apps/v1",
            Kind = "DaemonSet",
            Metadata = new V1ObjectMeta { Name = "ds", Generation = generation },
            Status = new V1DaemonSetStatus
            {
                DesiredNumberScheduled = desired, NumberAvailable = available, UpdatedNumberScheduled = updated,
                ObservedGeneration = observed,
            },
        });

    [Theory]
    [InlineData(3, 3, 3, true)]
    [InlineData(0, 0, 0, false)]
    [InlineData(3, 2, 2, false)]
    [InlineData(3, 3, 2, false)]
    public void DaemonSetRule(int desired, int available, int updated, bool ready) =>
        Assert.Equal(ready, WorkloadReadiness.NotReadyReason(DaemonSet(desired, available, updated)) is null);

    [Fact]
    public void DaemonSetWithUnobservedGenerationIsNotReady() =>
        Assert.NotNull(WorkloadReadiness.NotReadyReason(DaemonSet(3, 3, 3, generation: 2, observed: 1)));

    [Fact]
    public void A_DaemonSet_no_node_is_eligible_for_names_its_node_selector()
    {
        var ds = KubeObject.From(new V1DaemonSet
        {
            ApiVersion = "apps/v1",
            Kind = "DaemonSet",
            Metadata = new V1ObjectMeta { Name = "rdma-shared-dp-ds", Generation = 1 },
            Spec = new V1DaemonSetSpec
            {
                Selector = new V1LabelSelector(),
                Template = new V1PodTemplateSpec
                {
                    Spec = new V1PodSpec
                    {
                        NodeSelector = new Dictionary<string, string>
                        {
                            ["network.nvidia.com/operator.mofed.wait"] = "false", ["feature.node.kubernetes.io/pci-15b3.present"] = "true",
                        },
                        Containers = [],
                    },
                },
            },
            Status = new V1DaemonSetStatus { ObservedGeneration = 1 },
        });

        Assert.Equal("no node is eligible for its pods (no node has every label of its nodeSelector feature.node.kubernetes.io/pci-15b3.present=true," +
            "network.nvidia.com/operator.mofed.wait=false and fits its affinity and tolerations)", WorkloadReadiness.NotReadyReason(ds));
        Assert.Equal("no node is eligible for its pods", WorkloadReadiness.NotReadyReason(DaemonSet(0, 0, 0)));
    }

    [Theory]
    [InlineData(2, 2, true)]
    [InlineData(2, 1, false)]
    [InlineData(null, 0, false)]
    [InlineData(null, 1, true)]
    public void DeploymentIsReadyWhenAvailableReachesDesired(int? replicas, int available, bool ready)
    {
        var deployment = KubeObject.From(new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta { Name = "d", Generation = 1 },
            Spec = new V1DeploymentSpec { Replicas = replicas, Selector = new V1LabelSelector(), Template = new V1PodTemplateSpec() },
            Status = new V1DeploymentStatus { AvailableReplicas = available, ObservedGeneration = 1 },
        });

        Assert.Equal(ready, WorkloadReadiness.NotReadyReason(deployment) is null);
    }

    [Fact]
    public void OtherKindsAreReadyOnceTheyExist() =>
        Assert.Null(WorkloadReadiness.NotReadyReason(KubeObject.From(new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { Name = "c" } })));
}
