using k8s;
using k8s.Models;
using NetworkOperator.Api;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Rendering.Common;

namespace NetworkOperator.Rendering.States;

/// <summary><c>state-SRIOV-device-plugin</c>: the SR-IOV network device plugin DaemonSet and its config; NicClusterPolicy and NicNodePolicy.</summary>
public sealed class SriovDevicePluginState : NodeGroupState<DevicePluginSpec>
{
    public const string Field = "spec.sriovDevicePlugin";
    public const string Container = "kube-sriovdp";
    public const string BaseName = "network-operator-sriov-device-plugin";

    public override string Name => StateNames.SriovDevicePlugin;

    public override IReadOnlyList<ResourceKind> OwnedKinds { get; } = [StateKinds.ServiceAccount, .. StateKinds.OpenShiftScc, StateKinds.ConfigMap, StateKinds.DaemonSet];

    protected override DevicePluginSpec? Section(INicPolicySpec spec) => spec?.SriovDevicePlugin;

    protected override RenderResult RenderSection(DevicePluginSpec section, NodeGroup group, ClusterFacts facts) => Render(section, group, facts);

    public static RenderResult Render(DevicePluginSpec spec, NodeGroup group, ClusterFacts facts)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(facts);
        var image = ResolvedImage.Resolve(spec, group.Global, Field);
        var config = DevicePluginConfig.Require(spec, Field, "{\"resourceList\":[{\"resourcePrefix\":\"nvidia.com\",\"resourceName\":\"hostdev\",\"selectors\":{\"vendors\":[\"15b3\"],\"isRdma\":true}}]}");
        var ns = facts.OperatorNamespace;
        var name = BaseName + group.HashSuffix;
        var configMap = "network-operator-sriovdp-config" + group.NameSuffix;
        var cdi = spec.UseCdi == true;

        var objects = new List<IKubernetesObject<V1ObjectMeta>>
        {
            K8s.ConfigMap(configMap, ns, K8s.Map(("config.json", config))),
            K8s.ServiceAccount(name, ns),
        };
        if (facts.IsOpenShift)
        {
            objects.AddRange(OpenShiftScc.PrivilegedRoleAndBinding(name, ns, name));
        }

        var mounts = new List<V1VolumeMount>
        {
            K8s.Mount("devicesock", "/var/lib/kubelet/device-plugins"),
            K8s.Mount("plugins-registry", "/var/lib/kubelet/plugins_registry"),
            K8s.Mount("log", "/var/log"),
            K8s.Mount("config-volume", "/etc/pcidp"),
            K8s.Mount("device-info", "/var/run/k8s.cni.cncf.io/devinfo/dp"),
        };
        var volumes = new List<V1Volume>
        {
            K8s.HostPath("devicesock", "/var/lib/kubelet/device-plugins"),
            K8s.HostPath("plugins-registry", "/var/lib/kubelet/plugins_registry"),
            K8s.HostPath("log", "/var/log"),
            K8s.ConfigMapVolume("config-volume", configMap, [("config.json", "config.json")]),
            K8s.HostPath("device-info", "/var/run/k8s.cni.cncf.io/devinfo/dp", "DirectoryOrCreate"),
        };
        var args = new List<string> { "--log-dir=sriovdp", "--log-level=10" };
        if (cdi)
        {
            args.Add("--use-cdi");
            mounts.Add(K8s.Mount("dynamic-cdi", "/var/run/cdi"));
            mounts.Add(K8s.Mount("host-config-volume", "/host/etc/pcidp/"));
            volumes.Add(K8s.HostPath("dynamic-cdi", "/var/run/cdi", "DirectoryOrCreate"));
            volumes.Add(K8s.HostPath("host-config-volume", "/etc/pcidp/", "DirectoryOrCreate"));
        }

        objects.Add(new V1DaemonSet
        {
            ApiVersion = "apps/v1",
            Kind = "DaemonSet",
            Metadata = K8s.Meta(name, ns, K8s.Map(("tier", "node"), ("app", "sriovdp"))),
            Spec = new V1DaemonSetSpec
            {
                Selector = new V1LabelSelector { MatchLabels = K8s.Map(("name", name)) },
                Template = new V1PodTemplateSpec
                {
                    Metadata = K8s.Meta(null!, labels: K8s.Map(("name", name), ("tier", "node"), ("app", "sriovdp"), (Labels.DsOwner, group.DsOwner)), annotations: K8s.Map((Annotations.ConfigHash, ConfigHash.Compute(config)))),
                    Spec = new V1PodSpec
                    {
                        PriorityClassName = "system-node-critical",
                        HostNetwork = true,
                        ServiceAccountName = name,
                        Tolerations = Tolerations.WithGpu(group.Tolerations),
                        Affinity = Affinities.FromNodeAffinity(group.NodeAffinity),
                        ImagePullSecrets = K8s.PullSecrets(image.PullSecrets),
                        Containers =
                        [
                            new V1Container
                            {
                                Name = Container,
                                Image = image.Reference,
                                ImagePullPolicy = "IfNotPresent",
                                Args = args,
                                SecurityContext = K8s.Privileged(),
                                Resources = Resources.For(image.ContainerResources, Container),
                                VolumeMounts = mounts,
                            },
                        ],
                        NodeSelector = group.MergeNodeSelector((Labels.NicPresent, "true"), (Labels.MofedWait, "false")),
                        Volumes = volumes,
                    },
                },
            },
        });
        return StateObjects.Finish(StateNames.SriovDevicePlugin, objects, group.DsOwner);
    }
}
