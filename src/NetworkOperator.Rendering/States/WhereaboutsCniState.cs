using k8s;
using k8s.Models;
using NetworkOperator.Api;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Rendering.Common;
using NetworkOperator.Rendering.Crds;

namespace NetworkOperator.Rendering.States;

/// <summary>
/// <c>state-whereabouts-cni</c>: whereabouts IPAM, its three CRDs, the node DaemonSet with the cron-driven IP
/// reconciler and the node-slice controller. Never OpenShift-specific. The node-slice controller needs image v0.9.0+.
/// </summary>
public sealed class WhereaboutsCniState : IComponentState<NicClusterPolicy>
{
    public const string Field = "spec.secondaryNetwork.ipamPlugin";
    public const string Container = "whereabouts";
    public const string ControllerContainer = "whereabouts-node-slice-controller";
    public const string ConfigMapName = "whereabouts-config";
    public const string DefaultCronExpression = "30 4 * * *";

    public string Name => StateNames.WhereaboutsCni;

    public IReadOnlyList<ResourceKind> OwnedKinds { get; } = [StateKinds.CustomResourceDefinition, StateKinds.ServiceAccount, StateKinds.ConfigMap, StateKinds.ClusterRole, StateKinds.ClusterRoleBinding, StateKinds.DaemonSet, StateKinds.Deployment];

    public bool IsEnabled(NicClusterPolicy policy) => policy?.Spec.SecondaryNetwork?.IpamPlugin is not null;

    public RenderResult Render(NicClusterPolicy policy, ClusterFacts facts)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(facts);
        var spec = policy.Spec.SecondaryNetwork!.IpamPlugin!;
        var image = ResolvedImage.Resolve(spec, policy.Spec.Global, Field);
        var ns = facts.OperatorNamespace;
        string[] sevenVerbs = ["get", "list", "watch", "create", "update", "patch", "delete"];
        var objects = new List<IKubernetesObject<V1ObjectMeta>>
        {
            CrdManifests.Load("whereabouts.cni.cncf.io_ippools.yaml"),
            CrdManifests.Load("whereabouts.cni.cncf.io_nodeslicepools.yaml"),
            CrdManifests.Load("whereabouts.cni.cncf.io_overlappingrangeipreservations.yaml"),
            K8s.ClusterRole(
                "whereabouts-cni",
                K8s.Rule(["whereabouts.cni.cncf.io"], ["ippools", "overlappingrangeipreservations", "nodeslicepools"], sevenVerbs),
                K8s.Rule(["coordination.k8s.io"], ["leases"], sevenVerbs),
                K8s.Rule([string.Empty], ["pods"], ["list", "watch"]),
                K8s.Rule([string.Empty], ["nodes"], ["get"]),
                K8s.Rule(["k8s.cni.cncf.io"], ["network-attachment-definitions"], ["get", "list", "watch"]),
                K8s.Rule([string.Empty, "events.k8s.io"], ["events"], ["create", "patch", "update", "get"])),
            K8s.ServiceAccount("whereabouts", ns),
            K8s.ClusterRoleBinding("whereabouts", "whereabouts-cni", "whereabouts", ns),
            K8s.ConfigMap(ConfigMapName, ns, K8s.Map(("cron-expression", DefaultCronExpression)), annotations: K8s.Map(("kubernetes.io/description", "Configmap containing user customizable cronjob schedule"))),
        };

        List<V1EnvVar> Env() => [K8s.FieldEnv("NODENAME", "spec.nodeName", "v1"), K8s.FieldEnv("WHEREABOUTS_NAMESPACE", "metadata.namespace")];
        V1Volume CronVolume() => K8s.ConfigMapVolume("cron-scheduler-configmap", ConfigMapName, [("cron-expression", "config")], defaultMode: 484);

        // Defaults per container, as for every component (upstream drops them once any container has an entry).
        var daemonResources = Resources.For(image.ContainerResources, Container, Resources.Of(("100m", "100Mi"), ("100m", "200Mi")));
        var dsLabels = K8s.Map(("tier", "node"), ("app", "whereabouts"));
        var dsPod = new V1PodSpec
        {
            HostNetwork = true,
            ServiceAccountName = "whereabouts",
            Tolerations = Tolerations.WithGpu(policy.Spec.Tolerations),
            Affinity = Affinities.FromNodeAffinity(policy.Spec.NodeAffinity),
            ImagePullSecrets = K8s.PullSecrets(image.PullSecrets),
            Containers =
            [
                new V1Container
                {
                    Name = Container,
                    Image = image.Reference,
                    Command = ["/bin/sh"],
                    Args = ["-c", "SLEEP=false /install-cni.sh && /ip-control-loop\n"],
                    Env = Env(),
                    Resources = daemonResources,
                    SecurityContext = K8s.Privileged(),
                    VolumeMounts =
                    [
                        K8s.Mount("cnibin", "/host/opt/cni/bin"),
                        K8s.Mount("cninetwork", "/host/etc/cni/net.d"),
                        K8s.Mount("cron-scheduler-configmap", "/cron-schedule"),
                    ],
                },
            ],
            Volumes = [K8s.HostPath("cnibin", facts.CniBinDirectory), K8s.HostPath("cninetwork", facts.CniNetworkDirectory), CronVolume()],
        };
        objects.Add(Workloads.DaemonSet("whereabouts", ns, dsLabels, K8s.Map(("name", "whereabouts")), K8s.Map(("tier", "node"), ("app", "whereabouts"), ("name", "whereabouts")), dsPod, strategy: K8s.RollingUpdate));

        var controllerLabels = K8s.Map(("app", ControllerContainer));
        var controllerPod = new V1PodSpec
        {
            ServiceAccountName = "whereabouts",
            Tolerations = policy.Spec.DeploymentTolerations is { Count: > 0 } t ? [.. t.Select(Tolerations.Clone)] : null,
            Affinity = Affinities.FromNodeAffinity(policy.Spec.DeploymentNodeAffinity),
            ImagePullSecrets = K8s.PullSecrets(image.PullSecrets),
            RestartPolicy = "Always",
            SchedulerName = "default-scheduler",
            SecurityContext = new V1PodSecurityContext(),
            TerminationGracePeriodSeconds = 30,
            PreemptionPolicy = "PreemptLowerPriority",
            Priority = 0,
            Containers =
            [
                new V1Container
                {
                    Name = ControllerContainer,
                    Image = image.Reference,
                    Command = ["/node-slice-controller"],
                    Env = Env(),
                    Resources = Resources.For(image.ContainerResources, ControllerContainer),
                    TerminationMessagePath = "/dev/termination-log",
                    TerminationMessagePolicy = "File",
                    VolumeMounts =
                    [
                        K8s.Mount("cnibin", "/host/opt/cni/bin"),
                        K8s.Mount("cni-net-dir", "/host/etc/cni/net.d"),
                        K8s.Mount("cron-scheduler-configmap", "/cron-schedule"),
                        K8s.Mount("kube-api-access", "/var/run/secrets/kubernetes.io/serviceaccount", readOnly: true),
                    ],
                },
            ],
            Volumes =
            [
                K8s.HostPath("cnibin", "/opt/cni/bin"),
                K8s.HostPath("cni-net-dir", "/etc/cni/net.d"),
                CronVolume(),
                new V1Volume
                {
                    Name = "kube-api-access",
                    Projected = new V1ProjectedVolumeSource
                    {
                        DefaultMode = 420,
                        Sources =
                        [
                            new V1VolumeProjection { ServiceAccountToken = new V1ServiceAccountTokenProjection { Path = "token", ExpirationSeconds = 3607 } },
                            new V1VolumeProjection { ConfigMap = new V1ConfigMapProjection { Name = "kube-root-ca.crt", Items = [new V1KeyToPath { Key = "ca.crt", Path = "ca.crt" }] } },
                            new V1VolumeProjection { DownwardAPI = new V1DownwardAPIProjection { Items = [new V1DownwardAPIVolumeFile { Path = "namespace", FieldRef = new V1ObjectFieldSelector { ApiVersion = "v1", FieldPath = "metadata.namespace" } }] } },
                        ],
                    },
                },
            ],
        };
        objects.Add(Workloads.Deployment(ControllerContainer, ns, controllerLabels, controllerLabels, controllerLabels, controllerPod, 1));
        return StateObjects.Finish(Name, objects);
    }
}
