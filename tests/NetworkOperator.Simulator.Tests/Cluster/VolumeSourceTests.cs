using k8s;
using k8s.Models;
using NetworkOperator.Simulator.Cluster;
using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Simulator.Tests.Cluster;

/// <summary>
/// A pod mounting a ConfigMap or Secret that does not exist stays in ContainerCreating with the kubelet's FailedMount
/// Event (a webhook certificate cert-manager never issued, a user's config not created yet) and starts once it exists.
/// </summary>
public sealed class VolumeSourceTests
{
    [Theory]
    [InlineData("secret", "secret \"webhook-cert\" not found")]
    [InlineData("configMap", "configmap \"webhook-cert\" not found")]
    public async Task A_missing_volume_source_holds_the_pod_until_it_is_created(string kind, string expected)
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions { NodeCount = 1 });
        using var client = cluster.CreateClient();
        var volume = kind == "secret"
            ? new V1Volume { Name = "cert", Secret = new V1SecretVolumeSource { SecretName = "webhook-cert" } }
            : new V1Volume { Name = "cert", ConfigMap = new V1ConfigMapVolumeSource { Name = "webhook-cert" } };
        var optional = kind == "secret"
            ? new V1Volume { Name = "extra", Secret = new V1SecretVolumeSource { SecretName = "absent", Optional = true } }
            : new V1Volume { Name = "extra", ConfigMap = new V1ConfigMapVolumeSource { Name = "absent", Optional = true } };
        await client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "webhook" },
            Spec = new V1PodSpec
            {
                NodeName = cluster.NodeNames[0],
                Containers = [new V1Container { Name = "server", Image = "example/webhook:1" }],
                Volumes = [volume, optional],
            },
        }, "default");

        var failed = await Eventually.ValueAsync(async () => (await client.CoreV1.ListNamespacedEventAsync("default",
            fieldSelector: "involvedObject.name=webhook,reason=FailedMount")).Items.FirstOrDefault(), "a FailedMount event");
        Assert.Equal("Warning", failed.Type);
        Assert.Equal($"MountVolume.SetUp failed for volume \"cert\" : {expected}", failed.Message);
        var pod = await client.CoreV1.ReadNamespacedPodAsync("webhook", "default");
        Assert.Equal("Pending", pod.Status.Phase);
        Assert.Equal("ContainerCreating", pod.Status.ContainerStatuses?.Single().State?.Waiting?.Reason);

        if (kind == "secret")
        {
            await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "webhook-cert" } }, "default");
        }
        else
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "webhook-cert" } }, "default");
        }

        await Eventually.TrueAsync(async () => (await client.CoreV1.ReadNamespacedPodAsync("webhook", "default")).Status?.Phase == "Running",
            "the pod running once its volume source exists", Eventually.LongTimeout);
    }
}
