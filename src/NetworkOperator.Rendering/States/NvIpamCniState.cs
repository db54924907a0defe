using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using NetworkOperator.Api;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Rendering.Common;
using NetworkOperator.Rendering.Crds;
using NetworkOperator.Rendering.Objects;

namespace NetworkOperator.Rendering.States;

/// <summary><c>state-nv-ipam-cni</c>: NVIDIA IPAM: pool CRDs, the controller Deployment, the node DaemonSet and the optional webhook.</summary>
public sealed class NvIpamCniState : IComponentState<NicClusterPolicy>
{
    public const string Field = "spec.nvIpam";
    public const string Controller = "nv-ipam-controller";
    public const string Node = "nv-ipam-node";
    public const string WebhookService = "nv-ipam-webhook-service";
    public const string WebhookSecret = "nv-ipam-webhook-server-cert";
    public const string Certificate = "nv-ipam-serving-cert";
    public const string Issuer = "nv-ipam-selfsigned-issuer";

    public string Name => StateNames.NvIpamCni;

    public IReadOnlyList<ResourceKind> OwnedKinds { get; } = [StateKinds.CustomResourceDefinition, StateKinds.ServiceAccount, StateKinds.ClusterRole, StateKinds.ClusterRoleBinding, .. StateKinds.OpenShiftScc, StateKinds.Service, StateKinds.Issuer, StateKinds.Certificate, StateKinds.ValidatingWebhookConfiguration, StateKinds.DaemonSet, StateKinds.Deployment];

    public bool IsEnabled(NicClusterPolicy policy) => policy?.Spec.NvIpam is not null;

    public RenderResult Render(NicClusterPolicy policy, ClusterFacts facts)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(facts);
        var spec = policy.Spec.NvIpam!;
        var image = ResolvedImage.Resolve(spec, policy.Spec.Global, Field);
        var ns = facts.OperatorNamespace;
        var webhook = spec.EnableWebhook == true;
        string[] read = ["get", "list", "watch"];
        var objects = new List<IKubernetesObject<V1ObjectMeta>>
        {
            CrdManifests.Load("ippools.nv-ipam.nvidia.com.yaml"),
            CrdManifests.Load("cidrpools.nv-ipam.nvidia.com.yaml"),
            K8s.ServiceAccount(Node, ns),
            K8s.ServiceAccount(Controller, ns),
            K8s.ClusterRole(
                Node,
                K8s.Rule([string.Empty], ["pods"], read),
                K8s.Rule(["nv-ipam.nvidia.com"], ["ippools", "cidrpools"], read)),
            K8s.ClusterRole(
                Controller,
                K8s.Rule([string.Empty], ["nodes"], ["get", "list", "patch", "update", "watch"]),
                K8s.Rule([string.Empty], ["configmaps"], ["get", "list", "watch", "delete"]),
                K8s.Rule(["nv-ipam.nvidia.com"], ["ippools", "cidrpools"], ["get", "list", "watch", "create"]),
                K8s.Rule(["nv-ipam.nvidia.com"], ["ippools/status", "cidrpools/status"], ["get", "update", "patch"]),
                K8s.Rule(["coordination.k8s.io"], ["leases"], ["get", "list", "watch", "create", "update", "patch", "delete"]),
                K8s.Rule([string.Empty, "events.k8s.io"], ["events"], ["create", "patch"])),
            K8s.ClusterRoleBinding(Node, Node, Node, ns),
            K8s.ClusterRoleBinding(Controller, Controller, Controller, ns),
        };
        if (facts.IsOpenShift)
        {
            objects.AddRange(OpenShiftScc.PrivilegedRoleAndBinding(Node, ns, Node));
        }

        if (webhook)
        {
            if (!facts.IsOpenShift)
            {
                objects.Add(new UnstructuredObject("cert-manager.io/v1", "Issuer", K8s.Meta(Issuer, ns), new JsonObject { ["selfSigned"] = new JsonObject() }));
                objects.Add(new UnstructuredObject("cert-manager.io/v1", "Certificate", K8s.Meta(Certificate, ns), new JsonObject
                {
                    ["dnsNames"] = new JsonArray($"{WebhookService}.{ns}.svc", $"{WebhookService}.{ns}.svc.cluster.local"),
                    ["issuerRef"] = new JsonObject { ["kind"] = "Issuer", ["name"] = Issuer },
                    ["secretName"] = WebhookSecret,
                }));
            }

            objects.Add(new V1Service
            {
                ApiVersion = "v1",
                Kind = "Service",
                Metadata = K8s.Meta(WebhookService, ns, annotations: facts.IsOpenShift ? K8s.Map(("service.alpha.openshift.io/serving-cert-secret-name", WebhookSecret)) : null),
                Spec = new V1ServiceSpec
                {
                    Ports = [new V1ServicePort { Port = 443, TargetPort = 9443, Protocol = "TCP" }],
                    Selector = K8s.Map(("name", Controller)),
                },
            });
            objects.Add(WebhookConfiguration(ns, facts.IsOpenShift));
        }

        objects.Add(ControllerDeployment(policy, image, ns, webhook));
        objects.Add(NodeDaemonSet(policy, image, facts));
        return StateObjects.Finish(Name, objects);
    }

    private static V1ValidatingWebhookConfiguration WebhookConfiguration(string ns, bool openShift)
    {
        V1ValidatingWebhook Hook(string kind) => new()
        {
            Name = $"validate-{kind}.nv-ipam.nvidia.com",
            AdmissionReviewVersions = ["v1"],
            ClientConfig = new Admissionregistrationv1WebhookClientConfig
            {
                Service = new Admissionregistrationv1ServiceReference { Name = WebhookService, NamespaceProperty = ns, Path = $"/validate-nv-ipam-nvidia-com-v1alpha1-{kind}" },
            },
            FailurePolicy = "Fail",
            SideEffects = "None",
            Rules =
            [
                new V1RuleWithOperations { ApiGroups = ["nv-ipam.nvidia.com"], ApiVersions = ["v1alpha1"], Operations = ["CREATE", "UPDATE"], Resources = [kind + "s"] },
            ],
        };

        return new V1ValidatingWebhookConfiguration
        {
            ApiVersion = "admissionregistration.k8s.io/v1",
            Kind = "ValidatingWebhookConfiguration",
            Metadata = K8s.Meta("nv-ipam-validating-webhook-configuration", annotations: openShift
                ? K8s.Map(("service.beta.openshift.io/inject-cabundle", "true"))
                : K8s.Map(("cert-manager.io/inject-ca-from", $"{ns}/{Certificate}"))),
            Webhooks = [Hook("ippool"), Hook("cidrpool")],
        };
    }

    private static V1Deployment ControllerDeployment(NicClusterPolicy policy, ResolvedImage image, string ns, bool webhook)
    {
        var labels = K8s.Map(("component", Controller), ("app", "nv-ipam"), ("name", Controller));
        var args = new List<string> { "--leader-elect=true", "--leader-elect-namespace=$(POD_NAMESPACE)", "--ippools-namespace=$(POD_NAMESPACE)" };
        var container = new V1Container
        {
            Name = Controller,
            Image = image.Reference,
            Command = ["/ipam-controller"],
            Args = args,
            Env = [K8s.FieldEnv("POD_NAMESPACE", "metadata.namespace")],
            SecurityContext = new V1SecurityContext { AllowPrivilegeEscalation = false, Capabilities = new V1Capabilities { Drop = ["ALL"] } },
            LivenessProbe = K8s.HttpProbe("/healthz", 8081, 15, 20),
            ReadinessProbe = K8s.HttpProbe("/readyz", 8081, 5, 10),
            Resources = Resources.For(image.ContainerResources, Controller, Resources.Of(("100m", "300Mi"), null)),
        };
        var pod = new V1PodSpec
        {
            ServiceAccountName = Controller,
            PriorityClassName = "system-cluster-critical",
            Affinity = new V1Affinity
            {
                PodAntiAffinity = new V1PodAntiAffinity
                {
                    PreferredDuringSchedulingIgnoredDuringExecution =
                    [
                        new V1WeightedPodAffinityTerm
                        {
                            Weight = 100,
                            PodAffinityTerm = new V1PodAffinityTerm
                            {
                                LabelSelector = new V1LabelSelector { MatchExpressions = [new V1LabelSelectorRequirement { Key = "name", OperatorProperty = "In", Values = [Controller] }] },
                                TopologyKey = Labels.Hostname,
                            },
                        },
                    ],
                },
                NodeAffinity = Affinities.ControlPlanePreferred(policy.Spec.DeploymentNodeAffinity),
            },
            Tolerations = Affinities.ControlPlaneTolerations(policy.Spec.DeploymentTolerations),
            ImagePullSecrets = K8s.PullSecrets(image.PullSecrets),
            Containers = [container],
        };
        if (webhook)
        {
            args.Add("--webhook=true");
            container.Ports = [new V1ContainerPort { Name = "webhook-server", ContainerPort = 9443, Protocol = "TCP" }];
            container.VolumeMounts = [K8s.Mount("cert", "/tmp/k8s-webhook-server/serving-certs", readOnly: true)];
            pod.Volumes = [new V1Volume { Name = "cert", Secret = new V1SecretVolumeSource { SecretName = WebhookSecret, DefaultMode = 420 } }];
        }

        return Workloads.Deployment(Controller, ns, labels, K8s.Map(("name", Controller)), labels, pod, 2, new V1DeploymentStrategy { Type = "RollingUpdate" });
    }

    private static V1DaemonSet NodeDaemonSet(NicClusterPolicy policy, ResolvedImage image, ClusterFacts facts)
    {
        // Same labels as the controller's with its own component, so `app: nv-ipam` selects both, as upstream; the
        // daemon talks to the CNI shim over a host socket only, so it needs neither the host network nor a priority class.
        var labels = K8s.Map(("component", Node), ("app", "nv-ipam"), ("name", Node));
        var pod = new V1PodSpec
        {
            ServiceAccountName = Node,
            TerminationGracePeriodSeconds = 10,
            Tolerations = Tolerations.WithGpu(policy.Spec.Tolerations),
            Affinity = Affinities.FromNodeAffinity(policy.Spec.NodeAffinity),
            ImagePullSecrets = K8s.PullSecrets(image.PullSecrets),
            Containers =
            [
                new V1Container
                {
                    Name = Node,
                    Image = image.Reference,
                    Command = ["/ipam-node"],
                    Args =
                    [
                        "--node-name=$(NODE_NAME)",
                        "--v=1",
                        "--logging-format=json",
                        "--bind-address=unix:///var/lib/cni/nv-ipam/daemon.sock",
                        "--store-file=/var/lib/cni/nv-ipam/store",
                        "--cni-daemon-socket=unix:///var/lib/cni/nv-ipam/daemon.sock",
                        "--cni-daemon-call-timeout=5",
                        "--cni-bin-dir=/opt/cni/bin",
                        "--cni-conf-dir=/etc/cni/net.d/nv-ipam.d",
                        "--cni-log-file=/var/log/nv-ipam-cni.log",
                        "--cni-log-level=info",
                        "--ippools-namespace=$(IPPOOLS_NAMESPACE)",
                    ],
                    Env = [K8s.FieldEnv("NODE_NAME", "spec.nodeName"), K8s.FieldEnv("IPPOOLS_NAMESPACE", "metadata.namespace")],
                    SecurityContext = K8s.Privileged(runAsUser: 0),
                    Resources = Resources.For(image.ContainerResources, Node, Resources.Of(("100m", "50Mi"), ("300m", "300Mi"))),
                    VolumeMounts =
                    [
                        K8s.Mount("cnibin", "/opt/cni/bin"),
                        K8s.Mount("cniconf", "/etc/cni/net.d/nv-ipam.d"),
                        K8s.Mount("daemonstate", "/var/lib/cni/nv-ipam/"),
                    ],
                },
            ],
            Volumes =
            [
                K8s.HostPath("cnibin", facts.CniBinDirectory, "DirectoryOrCreate"),
                K8s.HostPath("cniconf", facts.CniNetworkDirectory + "/nv-ipam.d", "DirectoryOrCreate"),
                K8s.HostPath("daemonstate", "/var/lib/cni/nv-ipam/", "DirectoryOrCreate"),
            ],
        };
        return Workloads.DaemonSet(Node, facts.OperatorNamespace, labels, K8s.Map(("name", Node)), labels, pod, strategy: K8s.RollingUpdate);
    }
}
