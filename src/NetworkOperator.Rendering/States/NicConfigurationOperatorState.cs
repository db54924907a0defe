using k8s;
using k8s.Models;
using NetworkOperator.Api;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Rendering.Common;
using NetworkOperator.Rendering.Crds;

namespace NetworkOperator.Rendering.States;

/// <summary>
/// <c>state-nic-configuration-operator</c>: the NIC configuration operator (Deployment), its per-node daemon, five CRDs,
/// the supported-firmware table and the optional firmware storage claim.
/// </summary>
public sealed class NicConfigurationOperatorState : IComponentState<NicClusterPolicy>
{
    public const string Field = "spec.nicConfigurationOperator";
    public const string OperatorName = "nic-configuration-operator";
    public const string DaemonName = "nic-configuration-daemon";
    public const string FirmwareMount = "/nic-firmware";

    /// <summary>"NIC model-DOCA release" → "PCI device-id, DOCA version, FW version"; the daemon validates firmware against it.</summary>
    public static readonly IReadOnlyDictionary<string, string> SupportedFirmware = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["ConnectX-6Dx-3.0.0"] = "101d, 3.0.0, 22.44.1036",
        ["ConnectX-7-3.0.0"] = "1021, 3.0.0, 28.44.1036",
        ["BlueField-3-3.0.0"] = "a2dc, 3.0.0, 32.44.1036",
        ["ConnectX-8-3.0.0"] = "1023, 3.0.0, 40.44.1036",
    };

    /// <summary>The kinds of the CRDs this state installs: the operator is granted these by name, never a wildcard.</summary>
    public static readonly IReadOnlyList<string> ConfigurationKinds =
        ["nicconfigurationtemplates", "nicdevices", "nicfirmwaresources", "nicfirmwaretemplates", "nicinterfacenametemplates"];

    public string Name => StateNames.NicConfigurationOperator;

    public IReadOnlyList<ResourceKind> OwnedKinds { get; } = [StateKinds.CustomResourceDefinition, StateKinds.ServiceAccount, StateKinds.ClusterRole, StateKinds.ClusterRoleBinding, .. StateKinds.OpenShiftScc, StateKinds.ConfigMap, StateKinds.PersistentVolumeClaim, StateKinds.Deployment, StateKinds.DaemonSet];

    public bool IsEnabled(NicClusterPolicy policy) => policy?.Spec.NicConfigurationOperator is not null;

    public RenderResult Render(NicClusterPolicy policy, ClusterFacts facts)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(facts);
        var spec = policy.Spec.NicConfigurationOperator!;
        var operatorImage = ResolvedImage.Resolve(spec.Operator ?? throw new RenderException("is required", Field + ".operator"), policy.Spec.Global, Field + ".operator");
        var daemonImage = ResolvedImage.Resolve(spec.ConfigurationDaemon ?? throw new RenderException("is required", Field + ".configurationDaemon"), policy.Spec.Global, Field + ".configurationDaemon");
        var ns = facts.OperatorNamespace;
        var logLevel = string.IsNullOrEmpty(spec.LogLevel) ? NicConfigurationOperatorSpec.LogLevelInfo : spec.LogLevel;
        var storage = spec.NicFirmwareStorage;
        var pvcName = string.IsNullOrEmpty(storage?.PvcName) ? NicFirmwareStorageSpec.DefaultPvcName : storage.PvcName;
        string[] all = ["create", "delete", "get", "list", "patch", "update", "watch"];

        var objects = new List<IKubernetesObject<V1ObjectMeta>>
        {
            CrdManifests.Load("configuration.net.nvidia.com_nicconfigurationtemplates.yaml"),
            CrdManifests.Load("configuration.net.nvidia.com_nicdevices.yaml"),
            CrdManifests.Load("configuration.net.nvidia.com_nicfirmwaresources.yaml"),
            CrdManifests.Load("configuration.net.nvidia.com_nicfirmwaretemplates.yaml"),
            CrdManifests.Load("configuration.net.nvidia.com_nicinterfacenametemplates.yaml"),
            K8s.ServiceAccount(OperatorName, ns),
            K8s.ClusterRole(
                OperatorName,
                K8s.Rule([string.Empty], ["configmaps"], ["get", "list", "watch"]),
                K8s.Rule([string.Empty], ["nodes"], ["get", "list", "patch", "update", "watch"]),
                K8s.Rule([string.Empty], ["pods"], ["list"]),
                K8s.Rule([string.Empty], ["pods/eviction"], all),
                K8s.Rule(["configuration.net.nvidia.com"], [.. ConfigurationKinds], all),
                K8s.Rule(["configuration.net.nvidia.com"], [.. ConfigurationKinds.Where(k => k != "nicinterfacenametemplates").Select(k => k + "/finalizers")], ["update"]),
                K8s.Rule(["configuration.net.nvidia.com"], [.. ConfigurationKinds.Select(k => k + "/status")], ["get", "patch", "update"]),
                K8s.Rule(["maintenance.nvidia.com"], ["nodemaintenances"], all),
                K8s.Rule(["apps"], ["daemonsets"], all)),
            K8s.ClusterRoleBinding(OperatorName, OperatorName, OperatorName, ns),
        };
        if (facts.IsOpenShift)
        {
            objects.AddRange(OpenShiftScc.PrivilegedRoleAndBinding(OperatorName, ns, OperatorName));
        }

        objects.Add(K8s.ConfigMap("nic-configuration-operator-supported-nic-firmware", ns, SupportedFirmware.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal)));
        if (storage is not null && storage.Create != false)
        {
            objects.Add(new V1PersistentVolumeClaim
            {
                ApiVersion = "v1",
                Kind = "PersistentVolumeClaim",
                Metadata = K8s.Meta(pvcName, ns),
                Spec = new V1PersistentVolumeClaimSpec
                {
                    AccessModes = ["ReadWriteMany"],
                    StorageClassName = string.IsNullOrEmpty(storage.StorageClassName) ? null : storage.StorageClassName,
                    Resources = new V1VolumeResourceRequirements
                    {
                        Requests = K8s.Quantities(("storage", string.IsNullOrEmpty(storage.AvailableStorageSize) ? NicFirmwareStorageSpec.DefaultAvailableStorageSize : storage.AvailableStorageSize)),
                    },
                },
            });
        }

        var userEnv = spec.Env ?? [];
        var operatorLabels = K8s.Map(("app.kubernetes.io/component", OperatorName));
        var operatorPod = new V1PodSpec
        {
            ServiceAccountName = OperatorName,
            PriorityClassName = "system-cluster-critical",
            Tolerations = Affinities.ControlPlaneTolerations(policy.Spec.DeploymentTolerations),
            Affinity = new V1Affinity { NodeAffinity = Affinities.ControlPlanePreferred(policy.Spec.DeploymentNodeAffinity) },
            SecurityContext = new V1PodSecurityContext { FsGroup = 65532, RunAsNonRoot = true },
            TerminationGracePeriodSeconds = 10,
            ImagePullSecrets = K8s.PullSecrets(operatorImage.PullSecrets),
            Containers =
            [
                new V1Container
                {
                    Name = "manager",
                    Image = operatorImage.Reference,
                    Command = ["/manager"],
                    Env = [K8s.Env("LOG_LEVEL", logLevel), .. userEnv],
                    LivenessProbe = K8s.HttpProbe("/healthz", 8081, 15, 20),
                    ReadinessProbe = K8s.HttpProbe("/readyz", 8081, 5, 10),
                    SecurityContext = new V1SecurityContext { AllowPrivilegeEscalation = false, Capabilities = new V1Capabilities { Drop = ["ALL"] } },
                    Resources = Resources.For(operatorImage.ContainerResources, OperatorName, Resources.Of(("100m", "256Mi"), ("1000m", "5Gi"))),
                    VolumeMounts = storage is null ? null : [K8s.Mount("firmware-cache", FirmwareMount)],
                },
            ],
            Volumes = storage is null ? null : [new V1Volume { Name = "firmware-cache", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = pvcName } }],
        };
        objects.Add(Workloads.Deployment(OperatorName, ns, operatorLabels, operatorLabels, operatorLabels, operatorPod, 1,
            podAnnotations: K8s.DefaultContainer("manager")));

        var daemonLabels = K8s.Map((Labels.NicConfigurationDaemon, string.Empty), ("app.kubernetes.io/name", DaemonName));
        var daemonMounts = new List<V1VolumeMount>
        {
            K8s.Mount("sys", "/sys"),
            K8s.Mount("proc", "/proc"),
            K8s.Mount("host", "/host"),
            K8s.Mount("dev", "/dev"),
        };
        var daemonVolumes = new List<V1Volume>
        {
            K8s.HostPath("sys", "/sys"),
            K8s.HostPath("proc", "/proc"),
            K8s.HostPath("host", "/"),
            K8s.HostPath("dev", "/dev"),
        };
        if (storage is not null)
        {
            daemonMounts.Add(K8s.Mount("firmware-cache", FirmwareMount, readOnly: true));
            daemonVolumes.Add(new V1Volume { Name = "firmware-cache", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = pvcName } });
        }

        var daemonPod = new V1PodSpec
        {
            ServiceAccountName = OperatorName,
            HostNetwork = true,
            HostPID = true,
            PriorityClassName = "system-node-critical",
            TerminationGracePeriodSeconds = 10,
            Tolerations = Tolerations.WithGpu(policy.Spec.Tolerations),
            Affinity = Affinities.FromNodeAffinity(policy.Spec.NodeAffinity),
            ImagePullSecrets = K8s.PullSecrets(daemonImage.PullSecrets),
            NodeSelector = K8s.Map((Labels.MofedWait, "false")),
            Containers =
            [
                new V1Container
                {
                    Name = DaemonName,
                    Image = daemonImage.Reference,
                    SecurityContext = K8s.Privileged(),
                    Env = [K8s.FieldEnv("NODE_NAME", "spec.nodeName"), K8s.FieldEnv("NAMESPACE", "metadata.namespace"), K8s.Env("LOG_LEVEL", logLevel), .. userEnv],
                    Resources = Resources.For(daemonImage.ContainerResources, DaemonName, Resources.Of(("100m", "512Mi"), (null!, "5Gi"))),
                    VolumeMounts = daemonMounts,
                },
            ],
            Volumes = daemonVolumes,
        };
        objects.Add(Workloads.DaemonSet(DaemonName, ns, daemonLabels, K8s.Map(("app.kubernetes.io/name", DaemonName)), daemonLabels, daemonPod,
            K8s.DefaultContainer(DaemonName), K8s.RollingUpdate));
        return StateObjects.Finish(Name, objects);
    }
}
