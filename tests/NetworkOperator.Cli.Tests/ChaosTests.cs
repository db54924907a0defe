using System.Globalization;
using k8s;
using Xunit.Abstractions;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using NetworkOperator.Api;
using NetworkOperator.Api.Contract;
using NetworkOperator.Controllers.Hosting;
using NetworkOperator.Controllers.Startup;
using NetworkOperator.Runtime.Client;
using NetworkOperator.Simulator.Cluster;
using NetworkOperator.Tests.Shared;
using NetworkOperator.Tools.Demo;

namespace NetworkOperator.Cli.Tests;

/// <summary>
/// The operator process (`network-operator run`) against a simulated cluster that fails 10 % of API requests (500, 503
/// and 429 across verbs and resources), closes every watch and expires watches with 410 periodically, while the test
/// SIGKILLs the operator at random moments of its convergence. The end state must be exactly that of a clean run: the
/// same objects at the same revisions, no duplicates, each controlled by its live owner, and the user's own objects
/// untouched. The seed of the kill moments is printed; CHAOS_SEED=N reruns with another one.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ChaosTests(ITestOutputHelper output) : IDisposable
{
    private const string Namespace = "nvidia-network-operator";

    private const string Policy = """
        {"apiVersion":"mellanox.com/v1alpha1","kind":"NicClusterPolicy","metadata":{"name":"nic-cluster-policy"},
         "spec":{
           "secondaryNetwork":{
             "multus":{"image":"multus-cni","repository":"ghcr.io/k8snetworkplumbingwg","version":"v4.1.0"},
             "cniPlugins":{"image":"plugins","repository":"ghcr.io/k8snetworkplumbingwg","version":"v1.5.0"}},
           "nvIpam":{"image":"nvidia-k8s-ipam","repository":"ghcr.io/mellanox","version":"v0.3.7"},
           "rdmaSharedDevicePlugin":{"image":"k8s-rdma-shared-dev-plugin","repository":"ghcr.io/mellanox","version":"v1.5.1",
             "config":"{\"configList\":[{\"resourceName\":\"rdma_shared_device_a\",\"rdmaHcaMax\":63,\"selectors\":{\"vendors\":[\"15b3\"]}}]}"}}}
        """;

    private const int Networks = 4;

    private readonly string _directory = Directory.CreateTempSubdirectory("chaos-").FullName;

    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("CHAOS_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out var seed)
        ? seed
        : 20261205;

    [Fact]
    public async Task SIGKILLs_during_convergence_under_API_errors_and_watch_churn_end_in_the_state_of_a_clean_run()
    {
        var seed = Seed;
        output.WriteLine($"chaos seed {seed} (CHAOS_SEED={seed} reproduces the kill moments)");
        var random = new Random(seed);

        var clean = await CleanRunAsync();
        output.WriteLine($"clean run: {clean.Count} operator-owned objects");

        await using var cluster = await StartClusterAsync();
        var client = cluster.CreateClient();
        var userObjects = await CreateUserObjectsAsync(client);
        await ApplyInputsAsync(client);
        var kubeconfig = await ChartOperatorIdentity.WriteKubeconfigAsync(cluster.Server, Namespace, Path.Combine(_directory, "kubeconfig"));

        // 10 % of requests fail: a third each with 500, 503 and 429, on every verb and resource; watches churn.
        var chaos = ApiChaos.Start(cluster.Server.Faults, 0.10);
        try
        {
            // Killed at random moments of its convergence: while starting, listing, creating objects, writing status.
            var kills = 0;
            for (var i = 0; i < 5; i++)
            {
                using var op = StartOperator(kubeconfig);
                var after = TimeSpan.FromMilliseconds(random.Next(1500, 9000));
                await Task.Delay(after);
                Assert.False(op.HasExited, $"the operator exited by itself under API errors:\n{op.Output}");
                op.Kill();
                kills++;
                output.WriteLine($"SIGKILL {kills} after {after.TotalSeconds:0.0} s");
            }

            // The last one runs to convergence under the same faults.
            using var last = StartOperator(kubeconfig);
            await last.UntilAsync(async () => await ConvergedAsync(client), "converged under faults after the kills", Eventually.Timeout * 3);
            await chaos.DisposeAsync();
            Assert.DoesNotContain("Unhandled exception", last.Output, StringComparison.Ordinal);

            var chaotic = await OwnedStateAsync(client);
            Assert.Equal(clean, chaotic);
            await AssertEachOwnedObjectHasOneLiveControllerAsync(client);
            await AssertUntouchedAsync(client, userObjects);
        }
        finally
        {
            await chaos.DisposeAsync();
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Task<SimulatedCluster> StartClusterAsync() => SimulatedCluster.StartAsync(new SimulatedClusterOptions
    {
        NodeCount = 3,
        SyntheticNodes = { CpuOnlyShare = 0 },
        KubeletDelay = TimeSpan.FromMilliseconds(20),
        ContainerStopDelay = TimeSpan.FromMilliseconds(20),
    });

    // The same cluster and inputs with the operator in-process, no faults and no kills: the state to reach.
    private static async Task<SortedSet<string>> CleanRunAsync()
    {
        await using var cluster = await StartClusterAsync();
        var client = cluster.CreateClient();
        await CreateUserObjectsAsync(client);
        await ApplyInputsAsync(client);
        await ChartOperatorIdentity.InstallAsync(client, Namespace);
        using var operatorClient = cluster.Server.CreateClient(cluster.Server.CreateServiceAccountToken(Namespace, ChartOperatorIdentity.ServiceAccountName));
        await using var host = await OperatorHost.CreateAsync(operatorClient, new OperatorOptions
        {
            Environment = new OperatorEnvironment { Namespace = Namespace, NotReadyRequeue = TimeSpan.FromMilliseconds(300) },
            Tags = new OfflineTagLister(),
        }, NullLoggerFactory.Instance);
        using var stop = new CancellationTokenSource();
        var run = host.RunAsync(stop.Token);
        await Eventually.HoldsAsync(async () =>
        {
            if (run.IsCompleted)
            {
                throw new InvalidOperationException("the clean operator stopped", run.Exception);
            }

            Assert.True(await ConvergedAsync(client), "the clean run did not converge");
        }, Eventually.Timeout * 2);

        var state = await OwnedStateAsync(client);
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(60));
        return state;
    }

    private static BackgroundCli StartOperator(string kubeconfig) => BackgroundCli.Start(
        ["run", "--kubeconfig", kubeconfig, "--metrics-bind-address", "0", "--health-probe-bind-address", "0"],
        new Dictionary<string, string>
        {
            ["POD_NAMESPACE"] = Namespace,
            ["OFED_PRECOMPILED_TAG_LISTER"] = "offline",
            ["CONTROLLER_REQUEST_REQUEUE_SECONDS"] = "1",
        });

    private static async Task ApplyInputsAsync(Kubernetes client)
    {
        await Retry(() => client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } }));
        await CrdInstaller.InstallAsync(client, NullLogger.Instance, TimeProvider.System, CancellationToken.None);
        var policy = System.Text.Json.Nodes.JsonNode.Parse(Policy)!;
        await Retry(() => client.CustomObjects.CreateClusterCustomObjectAsync(policy, "mellanox.com", "v1alpha1", "nicclusterpolicies"));
        for (var i = 0; i < Networks; i++)
        {
            var network = new Dictionary<string, object>
            {
                ["apiVersion"] = "mellanox.com/v1alpha1",
                ["kind"] = "MacvlanNetwork",
                ["metadata"] = new Dictionary<string, object> { ["name"] = $"net-{i}" },
                ["spec"] = new Dictionary<string, object>
                {
                    ["networkNamespace"] = "default",
                    ["master"] = "ens2f0",
                    ["mode"] = "bridge",
                    ["mtu"] = 1500,
                    ["ipam"] = $$"""{"type":"whereabouts","range":"192.168.{{i}}.0/24"}""",
                },
            };
            await Retry(() => client.CustomObjects.CreateClusterCustomObjectAsync(network, "mellanox.com", "v1alpha1", "macvlannetworks"));
        }
    }

    // Objects of the user's beside the operator's, in its namespace and with names it also uses elsewhere.
    private static async Task<Dictionary<string, string>> CreateUserObjectsAsync(Kubernetes client)
    {
        await Retry(() => client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } }));
        var config = await Retry(() => client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "user-settings", Labels = new Dictionary<string, string> { ["team"] = "network" } },
            Data = new Dictionary<string, string> { ["key"] = "value" },
        }, Namespace));
        var account = await Retry(() => client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount
        {
            Metadata = new V1ObjectMeta { Name = "user-tools" },
        }, Namespace));
        return new Dictionary<string, string>
        {
            ["configmap/user-settings"] = config.Metadata.ResourceVersion,
            ["serviceaccount/user-tools"] = account.Metadata.ResourceVersion,
        };
    }

    private static async Task AssertUntouchedAsync(Kubernetes client, Dictionary<string, string> userObjects)
    {
        var config = await Retry(() => client.CoreV1.ReadNamespacedConfigMapAsync("user-settings", Namespace));
        var account = await Retry(() => client.CoreV1.ReadNamespacedServiceAccountAsync("user-tools", Namespace));
        Assert.Equal(userObjects["configmap/user-settings"], config.Metadata.ResourceVersion);
        Assert.Equal(userObjects["serviceaccount/user-tools"], account.Metadata.ResourceVersion);
        Assert.Null(config.Metadata.OwnerReferences);
        Assert.Null(account.Metadata.OwnerReferences);
    }

    private static async Task<bool> ConvergedAsync(Kubernetes client)
    {
        try
        {
            var policy = await client.CustomObjects.GetClusterCustomObjectAsync("mellanox.com", "v1alpha1", "nicclusterpolicies", "nic-cluster-policy");
            if (State(policy) != "ready")
            {
                return false;
            }

            for (var i = 0; i < Networks; i++)
            {
                if (State(await client.CustomObjects.GetClusterCustomObjectAsync("mellanox.com", "v1alpha1", "macvlannetworks", $"net-{i}")) != "ready")
                {
                    return false;
                }
            }

            return true;
        }
        catch (Exception ex) when (ApiErrors.IsTransient(ex))
        {
            return false;
        }
    }

    private static string? State(object obj) =>
        System.Text.Json.Nodes.JsonNode.Parse(KubernetesJson.Serialize(obj))?["status"]?["state"]?.GetValue<string>();

    // Every object a mellanox.com resource controls, as "kind namespace/name revision": equal sets mean the same
    // objects at the same rendered revisions, and no object the clean run does not have (a duplicate under another name).
    private static async Task<SortedSet<string>> OwnedStateAsync(Kubernetes client)
    {
        var state = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (_, obj) in await OwnedObjectsAsync(client))
        {
            var revision = obj.Metadata.Annotations is { } a && a.TryGetValue(Annotations.Revision, out var r) ? r : "-";
            state.Add($"{obj.Kind} {obj.Metadata.NamespaceProperty}/{obj.Metadata.Name} {revision}");
        }

        return state;
    }

    private static async Task<List<(ResourceKind Kind, KubeObject Object)>> OwnedObjectsAsync(Kubernetes client)
    {
        var owned = new List<(ResourceKind, KubeObject)>();
        foreach (var kind in ManagedKinds.All)
        {
            ObjectList<KubeObject> list;
            try
            {
                list = await Retry(() => new ResourceClient<KubeObject>(client, kind).ListAsync());
            }
            catch (Exception ex) when (ApiErrors.IsNotFound(ex))
            {
                continue;
            }

            owned.AddRange(list.Items
                .Where(o => (o.Metadata.OwnerReferences ?? []).Any(r => r.ApiVersion.StartsWith(ApiGroup.Group + "/", StringComparison.Ordinal)))
                .Select(o => (kind, o)));
        }

        return owned;
    }

    private static async Task AssertEachOwnedObjectHasOneLiveControllerAsync(Kubernetes client)
    {
        var policy = await Retry(() => client.CustomObjects.GetClusterCustomObjectAsync("mellanox.com", "v1alpha1", "nicclusterpolicies", "nic-cluster-policy"));
        var uids = new HashSet<string>(StringComparer.Ordinal) { Uid(policy) };
        for (var i = 0; i < Networks; i++)
        {
            var name = $"net-{i}";
            uids.Add(Uid(await Retry(() => client.CustomObjects.GetClusterCustomObjectAsync("mellanox.com", "v1alpha1", "macvlannetworks", name))));
        }

        foreach (var (_, obj) in await OwnedObjectsAsync(client))
        {
            var controller = Assert.Single(obj.Metadata.OwnerReferences, r => r.Controller == true);
            Assert.Contains(controller.Uid, uids);
        }
    }

    private static string Uid(object obj) =>
        System.Text.Json.Nodes.JsonNode.Parse(KubernetesJson.Serialize(obj))!["metadata"]!["uid"]!.GetValue<string>();

    // The test's own requests meet the same injected faults; it retries them as any client would.
    private static async Task<T> Retry<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception ex) when (attempt < 20 && (ApiErrors.IsTransient(ex)))
            {
                await Task.Delay(100);
            }
            catch (Exception ex) when (ApiErrors.IsConflict(ex))
            {
                // A create whose first attempt reached the server before its answer was lost.
                return default!;
            }
        }
    }
}
