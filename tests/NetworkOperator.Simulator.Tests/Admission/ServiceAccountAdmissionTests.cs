using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using NetworkOperator.Simulator.Cluster;
using NetworkOperator.Simulator.Tests.Cluster;
using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Simulator.Tests.Admission;

/// <summary>
/// The ServiceAccount admission plugin and the two objects kube-controller-manager keeps in every namespace (the
/// <c>default</c> ServiceAccount and the <c>kube-root-ca.crt</c> ConfigMap), as a 1.32 cluster has them.
/// </summary>
public sealed class ServiceAccountAdmissionTests : IAsyncLifetime
{
    private const string TokenPath = "/var/run/secrets/kubernetes.io/serviceaccount";
    private SimulatedApiServer _server = null!;
    private Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await SimulatedApiServer.StartNewAsync();
        _client = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_new_namespace_gets_the_default_ServiceAccount_and_the_root_CA_ConfigMap()
    {
        await _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team-a" } });
        await Eventually.TrueAsync(async () => (await _client.CoreV1.ListNamespacedServiceAccountAsync("team-a")).Items.Any(s => s.Name() == "default"),
            "default ServiceAccount in team-a");
        var ca = await Eventually.ValueAsync(async () => (await _client.CoreV1.ListNamespacedConfigMapAsync("team-a")).Items.SingleOrDefault(c => c.Name() == "kube-root-ca.crt"),
            "kube-root-ca.crt in team-a");
        Assert.Equal(_server.CertificateAuthorityPem, ca.Data["ca.crt"]);
        Assert.StartsWith("Contains a CA bundle that can be used to verify the kube-apiserver", ca.Metadata.Annotations["kubernetes.io/description"], StringComparison.Ordinal);

        // The namespaces that exist from the start have them too.
        foreach (var ns in new[] { "default", "kube-system" })
        {
            await Eventually.TrueAsync(async () => (await _client.CoreV1.ListNamespacedServiceAccountAsync(ns)).Items.Any(s => s.Name() == "default"), $"default ServiceAccount in {ns}");
        }
    }

    [Fact]
    public async Task Deleted_or_edited_defaults_are_put_back()
    {
        await WaitForDefaultsAsync("default");
        await _client.CoreV1.DeleteNamespacedServiceAccountAsync("default", "default");
        await _client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"ca.crt":"tampered"},"metadata":{"labels":{"kept":"yes"}}}""", V1Patch.PatchType.MergePatch),
            "kube-root-ca.crt", "default");
        await Eventually.TrueAsync(async () => (await _client.CoreV1.ListNamespacedServiceAccountAsync("default")).Items.Any(s => s.Name() == "default"),
            "default ServiceAccount recreated");
        await Eventually.TrueAsync(async () =>
        {
            var ca = await _client.CoreV1.ReadNamespacedConfigMapAsync("kube-root-ca.crt", "default");
            return ca.Data["ca.crt"] == _server.CertificateAuthorityPem && ca.Labels()?["kept"] == "yes";
        }, "kube-root-ca.crt restored, the user's label kept");

        await _client.CoreV1.DeleteNamespacedConfigMapAsync("kube-root-ca.crt", "default");
        await Eventually.TrueAsync(async () => (await _client.CoreV1.ListNamespacedConfigMapAsync("default")).Items.Any(c => c.Name() == "kube-root-ca.crt"),
            "kube-root-ca.crt recreated");
    }

    [Fact]
    public async Task A_pod_runs_as_default_and_every_container_mounts_the_API_token()
    {
        await WaitForDefaultsAsync("default");
        var pod = await _client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1PodSpec
            {
                InitContainers = [new V1Container { Name = "init", Image = "busybox:1" }],
                Containers =
                [
                    new V1Container { Name = "app", Image = "nginx:1" },
                    new V1Container
                    {
                        Name = "own-token", Image = "nginx:1",
                        VolumeMounts = [new V1VolumeMount { Name = "mine", MountPath = TokenPath }],
                    },
                ],
                Volumes = [new V1Volume { Name = "mine", EmptyDir = new V1EmptyDirVolumeSource() }],
            },
        }, "default");

        Assert.Equal("default", pod.Spec.ServiceAccountName);
        Assert.Equal("default", pod.Spec.ServiceAccount);
        var token = Assert.Single(pod.Spec.Volumes, v => v.Name.StartsWith("kube-api-access-", StringComparison.Ordinal));
        Assert.Equal("kube-api-access-".Length + 5, token.Name.Length);
        Assert.Equal(420, token.Projected.DefaultMode);
        Assert.Equal(3607, token.Projected.Sources[0].ServiceAccountToken.ExpirationSeconds);
        Assert.Equal("token", token.Projected.Sources[0].ServiceAccountToken.Path);
        Assert.Equal("kube-root-ca.crt", token.Projected.Sources[1].ConfigMap.Name);
        Assert.Equal("metadata.namespace", token.Projected.Sources[2].DownwardAPI.Items[0].FieldRef.FieldPath);

        Assert.Contains(pod.Spec.InitContainers[0].VolumeMounts, m => m.Name == token.Name && m.MountPath == TokenPath && m.ReadOnlyProperty == true);
        Assert.Contains(pod.Spec.Containers[0].VolumeMounts, m => m.Name == token.Name && m.MountPath == TokenPath);
        // A container with its own mount at that path keeps it.
        Assert.Equal(["mine"], pod.Spec.Containers[1].VolumeMounts.Select(m => m.Name));
    }

    [Fact]
    public async Task A_pod_naming_a_missing_ServiceAccount_is_refused_as_a_real_server_does()
    {
        await WaitForDefaultsAsync("default");
        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "agent" },
            Spec = new V1PodSpec { ServiceAccountName = "agent", Containers = [new V1Container { Name = "c", Image = "busybox:1" }] },
        }, "default"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.Response.StatusCode);
        Assert.Contains("pods \\\"agent\\\" is forbidden: error looking up service account default/agent: serviceaccount \\\"agent\\\" not found",
            refused.Response.Content, StringComparison.Ordinal);

        await _client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount
        {
            Metadata = new V1ObjectMeta { Name = "agent" },
            AutomountServiceAccountToken = false,
            ImagePullSecrets = [new V1LocalObjectReference { Name = "registry" }],
        }, "default");
        var pod = await _client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "agent" },
            Spec = new V1PodSpec { ServiceAccountName = "agent", Containers = [new V1Container { Name = "c", Image = "busybox:1" }] },
        }, "default");
        Assert.Null(pod.Spec.Volumes);
        Assert.Equal("registry", Assert.Single(pod.Spec.ImagePullSecrets).Name);

        // The pod's own setting wins over the ServiceAccount's.
        var mounted = await _client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "agent-2" },
            Spec = new V1PodSpec { ServiceAccountName = "agent", AutomountServiceAccountToken = true, Containers = [new V1Container { Name = "c", Image = "busybox:1" }] },
        }, "default");
        Assert.Single(mounted.Spec.Volumes, v => v.Name.StartsWith("kube-api-access-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pod_templates_carry_the_deprecated_serviceAccount_alias()
    {
        var template = ClusterTestNodes.DaemonSet("agent", "busybox:1");
        template.Spec.Template.Spec.ServiceAccount = "agent";
        var ds = await _client.AppsV1.CreateNamespacedDaemonSetAsync(template, "default");
        Assert.Equal("agent", ds.Spec.Template.Spec.ServiceAccountName);
        Assert.Equal("agent", ds.Spec.Template.Spec.ServiceAccount);
    }

    [Fact]
    public async Task A_DaemonSet_whose_ServiceAccount_is_missing_gets_FailedCreate_until_it_is_created()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions { Nodes = ClusterTestNodes.Mixed() });
        using var client = cluster.CreateClient();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "infra" } });
        var ds = ClusterTestNodes.DaemonSet("agent", "example/agent:1", ns: "infra");
        ds.Spec.Template.Spec.ServiceAccountName = "agent-sa";
        await client.AppsV1.CreateNamespacedDaemonSetAsync(ds, "infra");

        var failed = await Eventually.ValueAsync(async () => (await client.CoreV1.ListNamespacedEventAsync("infra",
            fieldSelector: "involvedObject.kind=DaemonSet,involvedObject.name=agent,reason=FailedCreate")).Items.FirstOrDefault(), "a FailedCreate event", Eventually.LongTimeout);
        // Refused in the mutating phase, before the server generates the pod's name: the message names the prefix.
        Assert.Equal(@"Error creating: pods ""agent-"" is forbidden: error looking up service account infra/agent-sa: serviceaccount ""agent-sa"" not found", failed.Message);
        Assert.Empty((await client.CoreV1.ListNamespacedPodAsync("infra")).Items);

        await client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "agent-sa" } }, "infra");
        await Eventually.TrueAsync(async () =>
        {
            var a = await client.AppsV1.ReadNamespacedDaemonSetAsync("agent", "infra");
            return a.Status?.DesiredNumberScheduled > 0 && a.Status.NumberAvailable == a.Status.DesiredNumberScheduled;
        }, "the DaemonSet's pods running once its ServiceAccount exists", Eventually.LongTimeout);
        var pod = (await client.CoreV1.ListNamespacedPodAsync("infra")).Items[0];
        Assert.Equal("agent-sa", pod.Spec.ServiceAccountName);
        Assert.Contains(pod.Spec.Volumes, v => v.Name.StartsWith("kube-api-access-", StringComparison.Ordinal));
    }

    private Task WaitForDefaultsAsync(string ns) =>
        Eventually.TrueAsync(async () =>
            (await _client.CoreV1.ListNamespacedServiceAccountAsync(ns)).Items.Any(s => s.Name() == "default") &&
            (await _client.CoreV1.ListNamespacedConfigMapAsync(ns)).Items.Any(c => c.Name() == "kube-root-ca.crt"),
            $"the defaults of namespace {ns}");
}
