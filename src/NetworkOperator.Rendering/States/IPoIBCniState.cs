using k8s;
using k8s.Models;
using NetworkOperator.Api;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Rendering.Common;

namespace NetworkOperator.Rendering.States;

/// <summary><c>state-ipoib-cni</c>: installs the ipoib CNI binary on every node.</summary>
public sealed class IPoIBCniState : IComponentState<NicClusterPolicy>
{
    public const string Field = "spec.secondaryNetwork.ipoib";
    public const string Container = "ipoib-cni";

    public string Name => StateNames.IPoIBCni;

    public IReadOnlyList<ResourceKind> OwnedKinds { get; } = [StateKinds.ServiceAccount, .. StateKinds.OpenShiftScc, StateKinds.DaemonSet];

    public bool IsEnabled(NicClusterPolicy policy) => policy?.Spec.SecondaryNetwork?.Ipoib is not null;

    public RenderResult Render(NicClusterPolicy policy, ClusterFacts facts)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(facts);
        var image = ResolvedImage.Resolve(policy.Spec.SecondaryNetwork!.Ipoib!, policy.Spec.Global, Field);
        var ns = facts.OperatorNamespace;
        var objects = new List<IKubernetesObject<V1ObjectMeta>>();
        if (facts.IsOpenShift)
        {
            objects.Add(K8s.ServiceAccount("ipoib-cni", ns));
            objects.AddRange(OpenShiftScc.PrivilegedRoleAndBinding("ipoib-cni", ns, "ipoib-cni"));
        }

        var labels = K8s.Map(("tier", "node"), ("app", "ipoib-cni"), ("name", "ipoib-cni"));
        var pod = new V1PodSpec
        {
            HostNetwork = true,
            ServiceAccountName = facts.IsOpenShift ? "ipoib-cni" : null,
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
        objects.Add(Workloads.DaemonSet("kube-ipoib-cni-ds", ns, labels, K8s.Map(("name", "ipoib-cni")), labels, pod, strategy: K8s.RollingUpdate));
        return StateObjects.Finish(Name, objects);
    }
}
