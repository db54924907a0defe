using k8s;
using k8s.Models;
using NetworkOperator.Simulator;

namespace NetworkOperator.Runtime.Tests;

/// <summary>A fresh embedded API server on 127.0.0.1 (without controller-manager's namespace defaults) plus a KubernetesClient for it.</summary>
internal sealed class Cluster : IAsyncDisposable
{
    private Cluster(SimulatedApiServer server)
    {
        Server = server;
        Client = server.CreateClient();
    }

    public SimulatedApiServer Server { get; }

    public Kubernetes Client { get; }

    public static async Task<Cluster> StartAsync(Action<SimulatedApiServerOptions>? configure = null)
    {
        // An API server alone (as envtest runs it): these tests count the ConfigMaps they made, and the root CA
        // ConfigMap kube-controller-manager adds to every namespace is not what they test.
        var options = new SimulatedApiServerOptions { NamespaceDefaults = false };
        configure?.Invoke(options);
        return new Cluster(await SimulatedApiServer.StartNewAsync(options));
    }

    public Task<V1ConfigMap> CreateConfigMapAsync(string name, string ns = "default", Dictionary<string, string>? labels = null,
        string value = "v") =>
        Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels },
            Data = new Dictionary<string, string> { ["key"] = value },
        }, ns);

    public async Task<V1ConfigMap> UpdateConfigMapAsync(string name, string value, string ns = "default")
    {
        var cm = await Client.CoreV1.ReadNamespacedConfigMapAsync(name, ns);
        cm.Data = new Dictionary<string, string> { ["key"] = value };
        return await Client.CoreV1.ReplaceNamespacedConfigMapAsync(cm, name, ns);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
