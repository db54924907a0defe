using k8s;
using k8s.Models;
using NetworkOperator.Api;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Rendering.Common;

namespace NetworkOperator.Rendering.States;

/// <summary><c>state-nic-feature-discovery</c>: writes NIC capabilities as NFD local features on every node.</summary>
public sealed class NicFeatureDiscoveryState : IComponentState<NicClusterPolicy>
{
    public const string Field = "spec.nicFeatureDiscovery";
    public const string Container = "nic-feature-discovery";
    private const string FeaturesDir = "/etc/kubernetes/node-feature-discovery/features.d";

    public string Name => StateNames.NicFeatureDiscovery;

    public IReadOnlyList<ResourceKind> OwnedKinds { get; } = [StateKinds.ServiceAccount, .. StateKinds.OpenShiftScc, StateKinds.DaemonSet];

    public bool IsEnabled(NicClusterPolicy policy) => policy?.Spec.NicFeatureDiscovery is not null;

    public RenderResult Render(NicClusterPolicy policy, ClusterFacts facts)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(facts);
        var image = ResolvedImage.Resolve(policy.Spec.NicFeatureDiscovery!, policy.Spec.Global, Field);
        var ns = facts.OperatorNamespace;
        var objects = new List<IKubernetesObject<V1ObjectMeta>>();
        if (facts.IsOpenShift)
        {
            objects.Add(K8s.ServiceAccount(Container, ns));
            objects.AddRange(OpenShiftScc.PrivilegedRoleAndBinding(Container, ns, Container));
        }

        var labels = K8s.Map(("tier", "node"), ("app", Container), ("name", Container));
        var pod = new V1PodSpec
        {
            ServiceAccountName = facts.IsOpenShift ? Container : null,
            TerminationGracePeriodSeconds = 10,
            Tolerations = Tolerations.WithGpu(policy.Spec.Tolerations),
            Affinity = Affinities.FromNodeAffinity(policy.Spec.NodeAffinity),
            ImagePullSecrets = K8s.PullSecrets(image.PullSecrets),
            Containers =
            [
                new V1Container
                {
                    Name = Container,
                    Image = image.Reference,
                    Command = ["/nic-feature-discovery"],
                    Args = ["--v=0", "--logging-format=json"],
                    SecurityContext = K8s.Privileged(),
                    Resources = Resources.For(image.ContainerResources, Container, Resources.Of(("100m", "50Mi"), ("300m", "150Mi"))),
                    VolumeMounts = [K8s.Mount("features-dir", FeaturesDir)],
                },
            ],
            Volumes = [K8s.HostPath("features-dir", FeaturesDir, "DirectoryOrCreate")],
        };
        objects.Add(Workloads.DaemonSet(Container + "-ds", ns, labels, K8s.Map(("name", Container)), labels, pod, strategy: K8s.RollingUpdate));
        return StateObjects.Finish(Name, objects);
    }
}
