using k8s;

namespace NetworkOperator.Simulator.Tests.Client;

/// <summary>The kubeconfig the server writes works for KubernetesClient as it is, not only for kubectl.</summary>
public sealed class KubeconfigTests
{
    [Fact]
    public async Task KubernetesClient_loads_the_written_kubeconfig_and_reaches_the_server()
    {
        await using var server = await SimulatedApiServer.StartNewAsync();
        var path = server.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"sim-kubeconfig-{Guid.NewGuid():N}", "config"));
        try
        {
            using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(path));
            var namespaces = await client.CoreV1.ListNamespaceAsync();
            Assert.Contains(namespaces.Items, n => n.Metadata.Name == "default");
            Assert.Equal(1, server.Requests.Get("list", "namespaces"));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }
}
