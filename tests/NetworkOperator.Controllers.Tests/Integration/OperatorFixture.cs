using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetworkOperator.Api.Contract;
using NetworkOperator.Controllers.Hosting;
using NetworkOperator.Controllers.Startup;
using NetworkOperator.Simulator;

namespace NetworkOperator.Controllers.Tests.Integration;

/// <summary>
/// The embedded API server plus one operator talking to it over HTTP. Workload controllers are played by the test
/// (<see cref="MarkWorkloadsAvailableAsync"/>) so each test decides when DaemonSets and Deployments become available.
/// </summary>
internal sealed class OperatorFixture : IAsyncDisposable
{
    public const string Namespace = "nvidia-network-operator";

    private readonly CancellationTokenSource _stop = new();
    private readonly List<(OperatorHost Host, Task Run, CancellationTokenSource Stop)> _operators = [];

    private OperatorFixture(SimulatedApiServer server)
    {
        Server = server;
        Client = server.CreateClient();
    }

    public SimulatedApiServer Server { get; }

    // OPERATOR_TEST_LOGS=1 shows the operator's log while debugging a test.
    private static ILoggerFactory Logs { get; } = Environment.GetEnvironmentVariable("OPERATOR_TEST_LOGS") == "1"
        ? LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Debug))
        : NullLoggerFactory.Instance;

    public Kubernetes Client { get; }

    public IReadOnlyList<OperatorHost> Operators => [.. _operators.Select(o => o.Host)];

    public static async Task<OperatorFixture> StartAsync(bool startOperator = true, TimeSpan? steadyResync = null)
    {
        var server = await SimulatedApiServer.StartNewAsync();
        var fixture = new OperatorFixture(server);
        await fixture.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } });
        await CrdInstaller.InstallAsync(fixture.Client, NullLogger.Instance, TimeProvider.System, CancellationToken.None);
        if (startOperator)
        {
            await fixture.StartOperatorAsync(steadyResync: steadyResync);
        }

        return fixture;
    }

    public async Task<OperatorHost> StartOperatorAsync(bool leaderElect = false, string? identity = null, TimeSpan? steadyResync = null)
    {
        var host = await OperatorHost.CreateAsync(Server.CreateClient(), new OperatorOptions
        {
            Environment = new OperatorEnvironment { Namespace = Namespace, NotReadyRequeue = TimeSpan.FromMilliseconds(300) },
            LeaderElect = leaderElect,
            LeaderIdentity = identity,
            LeaseTimings = (TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(300)),
            SteadyStateResync = steadyResync,
        }, Logs);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var run = Task.Run(() => host.RunAsync(stop.Token));
        _operators.Add((host, run, stop));
        return host;
    }

    public async Task StopOperatorAsync(OperatorHost host)
    {
        var entry = _operators.Single(o => o.Host == host);
        _operators.Remove(entry);
        await entry.Stop.CancelAsync();
        await entry.Run.WaitAsync(TimeSpan.FromSeconds(30));
        await host.DisposeAsync();
        entry.Stop.Dispose();
    }

    public static V1Node NicNode(string name, string os = "ubuntu", string version = "22.04", string kernel = "5.15.0-91-generic") => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Labels = new Dictionary<string, string>
            {
                [Labels.Arch] = "amd64",
                [Labels.Hostname] = name,
                [Labels.NicPresent] = "true",
                [Labels.OsReleaseId] = os,
                [Labels.OsReleaseVersionId] = version,
                [Labels.KernelVersionFull] = kernel,
            },
        },
    };

    public async Task ApplyYamlAsync(string yaml)
    {
        foreach (var obj in KubernetesYaml.LoadAllFromString(yaml, new Dictionary<string, Type>
        {
            ["mellanox.com/v1alpha1/NicClusterPolicy"] = typeof(Api.V1Alpha1.NicClusterPolicy),
            ["mellanox.com/v1alpha1/NicNodePolicy"] = typeof(Api.V1Alpha1.NicNodePolicy),
            ["mellanox.com/v1alpha1/MacvlanNetwork"] = typeof(Api.V1Alpha1.MacvlanNetwork),
            ["mellanox.com/v1alpha1/HostDeviceNetwork"] = typeof(Api.V1Alpha1.HostDeviceNetwork),
            ["mellanox.com/v1alpha1/IPoIBNetwork"] = typeof(Api.V1Alpha1.IPoIBNetwork),
        }))
        {
            var kobj = (IKubernetesObject<V1ObjectMeta>)obj;
            var group = kobj.ApiVersion.Contains('/', StringComparison.Ordinal) ? kobj.ApiVersion.Split('/')[0] : string.Empty;
            var plural = kobj.Kind.ToLowerInvariant() switch
            {
                "nicclusterpolicy" => "nicclusterpolicies",
                "nicnodepolicy" => "nicnodepolicies",
                var k => k + "s",
            };
            await Client.CustomObjects.CreateClusterCustomObjectAsync(obj, group, "v1alpha1", plural);
        }
    }

    /// <summary>Plays the DaemonSet and Deployment controllers: every workload reports itself fully available.</summary>
    public async Task MarkWorkloadsAvailableAsync(int nodes = 2)
    {
        foreach (var ds in (await Client.AppsV1.ListDaemonSetForAllNamespacesAsync()).Items)
        {
            if (ds.Status?.DesiredNumberScheduled == nodes && ds.Status.ObservedGeneration == ds.Metadata.Generation)
            {
                continue;
            }

            ds.Status = new V1DaemonSetStatus
            {
                DesiredNumberScheduled = nodes, NumberAvailable = nodes, UpdatedNumberScheduled = nodes, CurrentNumberScheduled = nodes,
                NumberReady = nodes, NumberMisscheduled = 0, ObservedGeneration = ds.Metadata.Generation,
            };
            await Client.AppsV1.ReplaceNamespacedDaemonSetStatusAsync(ds, ds.Metadata.Name, ds.Metadata.NamespaceProperty);
        }

        foreach (var deployment in (await Client.AppsV1.ListDeploymentForAllNamespacesAsync()).Items)
        {
            var replicas = deployment.Spec.Replicas ?? 1;
            if (deployment.Status?.AvailableReplicas == replicas && deployment.Status.ObservedGeneration == deployment.Metadata.Generation)
            {
                continue;
            }

            deployment.Status = new V1DeploymentStatus
            {
                Replicas = replicas, AvailableReplicas = replicas, ReadyReplicas = replicas, UpdatedReplicas = replicas,
                ObservedGeneration = deployment.Metadata.Generation,
            };
            await Client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(deployment, deployment.Metadata.Name, deployment.Metadata.NamespaceProperty);
        }
    }

    public async Task<JsonObject?> GetCustomAsync(string plural, string name)
    {
        try
        {
            var obj = await Client.CustomObjects.GetClusterCustomObjectAsync("mellanox.com", "v1alpha1", plural, name);
            return JsonNode.Parse(KubernetesJson.Serialize(obj)) as JsonObject;
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds (generous timeout for loaded machines); returns the last value.</summary>
    public static async Task Eventually(Func<Task<bool>> condition, string what, int seconds = 45)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (await condition())
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {seconds} s waiting for: {what}");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var (host, run, stop) in _operators)
        {
            try
            {
                await run.WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
            {
            }

            await host.DisposeAsync();
            stop.Dispose();
        }

        Client.Dispose();
        await Server.DisposeAsync();
        _stop.Dispose();
    }
}
