using k8s.Models;
using NetworkOperator.Api;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Rendering.Common;

namespace NetworkOperator.Rendering.States;

/// <summary><c>state-container-networking-plugins</c>: copies the containernetworking plugins into the host CNI bin dir.</summary>
public sealed class ContainerNetworkingPluginsState : IComponentState<NicClusterPolicy>
{
    public const string Field = "spec.secondaryNetwork.cniPlugins";
    public const string Container = "cni-plugins";

    public string Name => StateNames.ContainerNetworkingPlugins;

    public IReadOnlyList<ResourceKind> OwnedKinds { get; } = [StateKinds.DaemonSet];

    public bool IsEnabled(NicClusterPolicy policy) => policy?.Spec.SecondaryNetwork?.CniPlugins is not null;

    public RenderResult Render(NicClusterPolicy policy, ClusterFacts facts)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(facts);
        var image = ResolvedImage.Resolve(policy.Spec.SecondaryNetwork!.CniPlugins!, policy.Spec.Global, Field);
        var labels = K8s.Map(("tier", "node"), ("app", "cni-plugins"), ("name", "cni-plugins"));
        var pod = new V1PodSpec
        {
            HostNetwork = true,
            Tolerations = Tolerations.WithGpu(policy.Spec.Tolerations),
            Affinity = Affinities.FromNodeAffinity(policy.Spec.NodeAffinity),
            ImagePullSecrets = K8s.PullSecrets(image.PullSecrets),
            Containers =
            [
                new V1Container
                {
                    Name = Container,
                    Image = image.Reference,
                    SecurityContext = K8s.Privileged(),
                    Resources = Resources.For(image.ContainerResources, Container, Resources.Of(("100m", "50Mi"), ("100m", "50Mi"))),
                    VolumeMounts = [K8s.Mount("cnibin", "/host/opt/cni/bin")],
                },
            ],
            Volumes = [K8s.HostPath("cnibin", facts.CniBinDirectory)],
        };
        var ds = Workloads.DaemonSet("cni-plugins-ds", facts.OperatorNamespace, K8s.Map(("tier", "node"), ("app", "cni-plugins")), K8s.Map(("name", "cni-plugins")), labels, pod, strategy: K8s.RollingUpdate);
        return StateObjects.Finish(Name, [ds]);
    }
}
