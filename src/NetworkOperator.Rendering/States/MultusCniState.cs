using k8s;
using k8s.Models;
using NetworkOperator.Api;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Rendering.Common;

namespace NetworkOperator.Rendering.States;

/// <summary><c>state-multus-cni</c>: the thin Multus plugin on every node (no node selector).</summary>
public sealed class MultusCniState : IComponentState<NicClusterPolicy>
{
    public const string Field = "spec.secondaryNetwork.multus";
    public const string Container = "kube-multus";
    public const string ConfigMapName = "multus-cni-config";

    public string Name => StateNames.MultusCni;

    public IReadOnlyList<ResourceKind> OwnedKinds { get; } = [StateKinds.ClusterRole, StateKinds.ServiceAccount, StateKinds.ClusterRoleBinding, StateKinds.ConfigMap, StateKinds.DaemonSet];

    public bool IsEnabled(NicClusterPolicy policy) => policy?.Spec.SecondaryNetwork?.Multus is not null;

    public RenderResult Render(NicClusterPolicy policy, ClusterFacts facts)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(facts);
        var spec = policy.Spec.SecondaryNetwork!.Multus!;
        var image = ResolvedImage.Resolve(spec, policy.Spec.Global, Field);
        var ns = facts.OperatorNamespace;
        var hasConfig = !string.IsNullOrEmpty(spec.Config);
        var objects = new List<IKubernetesObject<V1ObjectMeta>>
        {
            K8s.ClusterRole(
                "multus",
                K8s.Rule(["k8s.cni.cncf.io"], ["network-attachment-definitions"], ["create", "delete", "get", "list", "patch", "update", "watch"]),
                K8s.Rule([string.Empty], ["pods", "pods/status"], ["get", "update"]),
                K8s.Rule([string.Empty, "events.k8s.io"], ["events"], ["create", "patch", "update"]),
                K8s.Rule(["resource.k8s.io"], ["resourceclaims", "resourceclaims/status", "resourceslices"], ["get", "list"])),
            K8s.ServiceAccount("multus", ns),
            K8s.ClusterRoleBinding("multus", "multus", "multus", ns),
        };
        if (hasConfig)
        {
            objects.Add(K8s.ConfigMap(ConfigMapName, ns, K8s.Map(("cni-conf.json", spec.Config!)), K8s.Map(("tier", "node"), ("app", "multus"))));
        }

        var mounts = new List<V1VolumeMount> { K8s.Mount("cninetwork", "/host/etc/cni/net.d"), K8s.Mount("cnibin", "/host/opt/cni/bin") };
        var volumes = new List<V1Volume> { K8s.HostPath("cninetwork", facts.CniNetworkDirectory), K8s.HostPath("cnibin", facts.CniBinDirectory) };
        if (hasConfig)
        {
            mounts.Add(K8s.Mount("multus-cni-config", "/tmp/multus-conf"));
            volumes.Add(K8s.ConfigMapVolume("multus-cni-config", ConfigMapName, [("cni-conf.json", "00-multus.conf")]));
        }

        var labels = K8s.Map(("tier", "node"), ("app", "multus"), ("name", "multus"));
        var pod = new V1PodSpec
        {
            HostNetwork = true,
            Tolerations = Tolerations.WithGpu(policy.Spec.Tolerations),
            Affinity = Affinities.FromNodeAffinity(policy.Spec.NodeAffinity),
            ServiceAccountName = "multus",
            PriorityClassName = "system-node-critical",
            TerminationGracePeriodSeconds = 10,
            ImagePullSecrets = K8s.PullSecrets(image.PullSecrets),
            InitContainers =
            [
                new V1Container
                {
                    Name = "install-multus-binary",
                    Image = image.Reference,
                    Command = ["/install_multus", "--type", "thin"],
                    Resources = Common.Resources.Of(("10m", "15Mi"), null),
                    SecurityContext = K8s.Privileged(runAsUser: 0),
                    VolumeMounts = [K8s.Mount("cnibin", "/host/opt/cni/bin", propagation: "Bidirectional")],
                    TerminationMessagePolicy = "FallbackToLogsOnError",
                },
            ],
            Containers =
            [
                new V1Container
                {
                    Name = Container,
                    Image = image.Reference,
                    Command = ["/thin_entrypoint"],
                    Args =
                    [
                        "--multus-conf-file=" + (hasConfig ? "/tmp/multus-conf/00-multus.conf" : "auto"),
                        "--multus-autoconfig-dir=/host/etc/cni/net.d",
                        "--cni-conf-dir=/host/etc/cni/net.d",
                        "--cleanup-config-on-exit",
                        "--skip-config-watch",
                        "--cni-bin-dir=/host/opt/cni/bin",
                        $"--multus-kubeconfig-file-host={facts.CniNetworkDirectory}/multus.d/multus.kubeconfig",
                    ],
                    Resources = Common.Resources.For(image.ContainerResources, Container, Common.Resources.Of(("100m", "50Mi"), ("100m", "50Mi"))),
                    SecurityContext = K8s.Privileged(),
                    VolumeMounts = mounts,
                    TerminationMessagePolicy = "FallbackToLogsOnError",
                },
            ],
            Volumes = volumes,
        };
        var annotations = hasConfig ? K8s.Map((Annotations.ConfigHash, ConfigHash.Compute(spec.Config!))) : null;
        objects.Add(Workloads.DaemonSet("kube-multus-ds", ns, labels, K8s.Map(("name", "multus")), labels, pod, annotations, K8s.RollingUpdate));
        return StateObjects.Finish(Name, objects);
    }
}
