using k8s;
using k8s.Models;
using NetworkOperator.Api;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Rendering.Common;
using NetworkOperator.Rendering.Crds;

namespace NetworkOperator.Rendering.States;

/// <summary><c>state-spectrum-x-operator</c>: the Spectrum-X flow controller on NIC nodes and the rail pool CRD.</summary>
public sealed class SpectrumXOperatorState : IComponentState<NicClusterPolicy>
{
    public const string Field = "spec.spectrumXOperator";
    public const string ObjectName = "spectrum-x-operator";
    public const string Container = "spectrum-x-flowcontroller";

    public string Name => StateNames.SpectrumXOperator;

    public IReadOnlyList<ResourceKind> OwnedKinds { get; } = [StateKinds.CustomResourceDefinition, StateKinds.ServiceAccount, StateKinds.ClusterRole, StateKinds.ClusterRoleBinding, .. StateKinds.OpenShiftScc, StateKinds.DaemonSet];

    public bool IsEnabled(NicClusterPolicy policy) => policy?.Spec.SpectrumXOperator is not null;

    public RenderResult Render(NicClusterPolicy policy, ClusterFacts facts)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(facts);
        var spec = policy.Spec.SpectrumXOperator!;
        var image = ResolvedImage.Resolve(spec, policy.Spec.Global, Field);
        var ns = facts.OperatorNamespace;
        string[] all = ["create", "delete", "get", "list", "patch", "update", "watch"];
        var objects = new List<IKubernetesObject<V1ObjectMeta>>
        {
            CrdManifests.Load("spectrumx.nvidia.com_spectrumxrailpoolconfigs.yaml"),
            K8s.ServiceAccount(ObjectName, ns),
            K8s.ClusterRole(
                ObjectName,
                K8s.Rule([string.Empty], ["events"], ["create", "patch"]),
                K8s.Rule([string.Empty], ["nodes"], ["get", "list", "watch"]),
                K8s.Rule([string.Empty], ["pods"], all),
                K8s.Rule(["coordination.k8s.io"], ["leases"], all),
                K8s.Rule(["spectrumx.nvidia.com"], ["spectrumxrailpoolconfigs"], all),
                K8s.Rule(["spectrumx.nvidia.com"], ["spectrumxrailpoolconfigs/status"], ["get", "patch", "update"]),
                K8s.Rule(["sriovnetwork.openshift.io"], ["ovsnetworks", "sriovnetworknodepolicies", "sriovnetworkpoolconfigs"], all),
                K8s.Rule(["sriovnetwork.openshift.io"], ["sriovnetworknodestates"], ["get", "list", "watch"]),
                K8s.Rule(["nv-ipam.nvidia.com"], ["cidrpools"], ["get", "list", "watch"])),
            K8s.ClusterRoleBinding(ObjectName, ObjectName, ObjectName, ns),
        };
        if (facts.IsOpenShift)
        {
            objects.AddRange(OpenShiftScc.PrivilegedRoleAndBinding(ObjectName, ns, ObjectName));
        }

        var env = new List<V1EnvVar>();
        if (spec.XPlane is { Version.Length: > 0 } xPlane)
        {
            var xPlaneImage = ResolvedImage.Resolve(xPlane, policy.Spec.Global, Field + ".xPlane");
            env.Add(K8s.Env("XPLANE_REPOSITORY", xPlaneImage.Repository));
            env.Add(K8s.Env("XPLANE_IMAGE", xPlaneImage.Image));
            env.Add(K8s.Env("XPLANE_VERSION", xPlaneImage.Version));
            env.Add(K8s.Env("IMAGE_PULL_SECRETS", string.Join(',', xPlaneImage.PullSecrets)));
        }

        env.Add(K8s.FieldEnv("POD_NAMESPACE", "metadata.namespace"));
        env.Add(K8s.FieldEnv("NODE_NAME", "spec.nodeName"));

        var labels = K8s.Map(("control-plane", Container));
        var pod = new V1PodSpec
        {
            ServiceAccountName = ObjectName,
            HostNetwork = true,
            SecurityContext = new V1PodSecurityContext { RunAsNonRoot = false },
            TerminationGracePeriodSeconds = 10,
            Tolerations = Tolerations.WithGpu(policy.Spec.Tolerations),
            Affinity = Affinities.FromNodeAffinity(policy.Spec.NodeAffinity),
            ImagePullSecrets = K8s.PullSecrets(image.PullSecrets),
            NodeSelector = K8s.Map((Labels.NicPresent, "true")),
            Containers =
            [
                new V1Container
                {
                    Name = Container,
                    Image = image.Reference,
                    Command = ["/flowcontroller"],
                    Args = ["--metrics-bind-address=0", "--health-probe-bind-address=0"],
                    Env = env,
                    SecurityContext = new V1SecurityContext { Privileged = true, RunAsUser = 0, RunAsGroup = 0, Capabilities = new V1Capabilities { Drop = ["ALL"] } },
                    Resources = Resources.For(image.ContainerResources, Container),
                    VolumeMounts =
                    [
                        K8s.Mount("proc", "/proc"),
                        K8s.Mount("sys", "/sys"),
                        K8s.Mount("ovs", "/var/run/openvswitch/"),
                        K8s.Mount("ovs-systemd-config", "/etc/default/openvswitch-switch"),
                        K8s.Mount("spectrum-x-lib", "/var/lib/spectrum-x"),
                        K8s.Mount("ovs-vswitchd-dropin", "/etc/systemd/system/ovs-vswitchd.service.d"),
                    ],
                },
            ],
            Volumes =
            [
                K8s.HostPath("proc", "/proc"),
                K8s.HostPath("sys", "/sys"),
                K8s.HostPath("ovs", "/var/run/openvswitch/"),
                K8s.HostPath("ovs-systemd-config", "/etc/default/openvswitch-switch", "FileOrCreate"),
                K8s.HostPath("spectrum-x-lib", "/var/lib/spectrum-x", "DirectoryOrCreate"),
                K8s.HostPath("ovs-vswitchd-dropin", "/etc/systemd/system/ovs-vswitchd.service.d", "DirectoryOrCreate"),
                K8s.HostPath("host-cni-bin", facts.CniBinDirectory, "DirectoryOrCreate"),
            ],
        };
        var metadataLabels = K8s.Map(("control-plane", Container), ("app.kubernetes.io/name", ObjectName));
        objects.Add(Workloads.DaemonSet(Container, ns, metadataLabels, labels, labels, pod,
            K8s.DefaultContainer(Container), K8s.RollingUpdate));
        return StateObjects.Finish(Name, objects);
    }
}
