using k8s;
using k8s.Models;
using NetworkOperator.Api;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Rendering.Common;

namespace NetworkOperator.Rendering.States;

/// <summary><c>state-RDMA-device-plugin</c>: the RDMA shared device plugin DaemonSet and its config; NicClusterPolicy and NicNodePolicy.</summary>
public sealed class RdmaSharedDevicePluginState : NodeGroupState<DevicePluginSpec>
{
    public const string Field = "spec.rdmaSharedDevicePlugin";
    public const string Container = "rdma-shared-dp";

    public override string Name => StateNames.RdmaDevicePlugin;

    public override IReadOnlyList<ResourceKind> OwnedKinds { get; } = [StateKinds.ServiceAccount, .. StateKinds.OpenShiftScc, StateKinds.ConfigMap, StateKinds.DaemonSet];

    protected override DevicePluginSpec? Section(INicPolicySpec spec) => spec?.RdmaSharedDevicePlugin;

    protected override RenderResult RenderSection(DevicePluginSpec section, NodeGroup group, ClusterFacts facts) => Render(section, group, facts);

    public static RenderResult Render(DevicePluginSpec spec, NodeGroup group, ClusterFacts facts)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(facts);
        var image = ResolvedImage.Resolve(spec, group.Global, Field);
        var config = DevicePluginConfig.Require(spec, Field, "{\"configList\":[{\"resourceName\":\"rdma_shared_device_a\",\"rdmaHcaMax\":63,\"selectors\":{\"ifNames\":[\"ens1f0\"]}}]}");
        var ns = facts.OperatorNamespace;
        var sa = "rdma-shared" + group.HashSuffix;
        var configMap = "rdma-devices" + group.NameSuffix;
        var app = "rdma-shared-dp" + group.NameSuffix;
        var cdi = spec.UseCdi == true;

        var objects = new List<IKubernetesObject<V1ObjectMeta>>();
        if (facts.IsOpenShift)
        {
            objects.Add(K8s.ServiceAccount(sa, ns));
            objects.AddRange(OpenShiftScc.PrivilegedRoleAndBinding(sa, ns, sa));
        }

        objects.Add(K8s.ConfigMap(configMap, ns, K8s.Map(("config.json", config))));

        var mounts = new List<V1VolumeMount>
        {
            K8s.Mount("device-plugin", "/var/lib/kubelet/device-plugins"),
            K8s.Mount("plugins-registry", "/var/lib/kubelet/plugins_registry"),
            K8s.Mount("config", "/k8s-rdma-shared-dev-plugin"),
            K8s.Mount("devs", "/dev/"),
        };
        var volumes = new List<V1Volume>
        {
            K8s.HostPath("device-plugin", "/var/lib/kubelet/device-plugins"),
            K8s.HostPath("plugins-registry", "/var/lib/kubelet/plugins_registry"),
            K8s.ConfigMapVolume("config", configMap, [("config.json", "config.json")]),
            K8s.HostPath("devs", "/dev/"),
        };
        if (cdi)
        {
            mounts.Add(K8s.Mount("dynamic-cdi", "/var/run/cdi"));
            mounts.Add(K8s.Mount("host-config-volume", "/host/etc/pcidp/"));
            volumes.Add(K8s.HostPath("dynamic-cdi", "/var/run/cdi", "DirectoryOrCreate"));
            volumes.Add(K8s.HostPath("host-config-volume", "/etc/pcidp/", "DirectoryOrCreate"));
        }

        objects.Add(new V1DaemonSet
        {
            ApiVersion = "apps/v1",
            Kind = "DaemonSet",
            Metadata = K8s.Meta("rdma-shared-dp-ds" + group.HashSuffix, ns, K8s.Map(("app", app))),
            Spec = new V1DaemonSetSpec
            {
                Selector = new V1LabelSelector { MatchLabels = K8s.Map(("app", app)) },
                Template = new V1PodTemplateSpec
                {
                    Metadata = K8s.Meta(null!, labels: K8s.Map(("app", app), (Labels.DsOwner, group.DsOwner)), annotations: K8s.Map((Annotations.ConfigHash, ConfigHash.Compute(config)))),
                    Spec = new V1PodSpec
                    {
                        PriorityClassName = "system-node-critical",
                        HostNetwork = true,
                        ServiceAccountName = facts.IsOpenShift ? sa : null,
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
                                Command = ["/bin/k8s-rdma-shared-dp"],
                                Args = cdi ? ["--use-cdi"] : null,
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
        return StateObjects.Finish(StateNames.RdmaDevicePlugin, objects, group.DsOwner);
    }
}
