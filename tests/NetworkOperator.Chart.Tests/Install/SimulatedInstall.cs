using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetworkOperator.Api.Contract;
using NetworkOperator.Chart.Tests.Infrastructure;
using NetworkOperator.Cli.Commands;
using NetworkOperator.Controllers.Hosting;
using NetworkOperator.Controllers.Webhooks;
using NetworkOperator.Runtime.Metrics;
using NetworkOperator.Simulator.Cluster;
using NetworkOperator.Tests.Shared;
using NetworkOperator.Tools.Demo;
using Xunit.Sdk;

namespace NetworkOperator.Chart.Tests.Install;

/// <summary>
/// The chart installed with the real helm into the embedded simulated cluster (nodes of the demo inventory, DaemonSet
/// and Deployment controllers, kubelets), and the operator plus its webhook running in-process with exactly the
/// settings the rendered Deployment gives the `run` command. The CRD upgrade hook is on, as by default: the simulated
/// Job controller runs its pod, and the pod's container runs the operator's own command line (`crds --apply`)
/// in-process, authenticated with a token of the pod's ServiceAccount; helm waits for the Job to complete. The webhook
/// Service is routed to the in-process webhook on 127.0.0.1. The operator's client authenticates with a token of the
/// chart's ServiceAccount, so the API server enforces the chart's RBAC on it and its audit log tells its requests apart
/// from helm's and kubectl's.
/// </summary>
public sealed class SimulatedInstall : IAsyncLifetime
{
    public const string Release = RenderedChart.ReleaseName;
    public const string Namespace = RenderedChart.Namespace;
    public const string Kubectl = "/usr/bin/kubectl";

    /// <summary>Values for the install; the webhook is on, as users are told to run it.</summary>
    public static readonly string[] Values =
    [
        "--set", "nfd.enabled=false", "--set", "keepNCP=false", "--set", "operator.admissionController.enabled=true",
    ];

    private readonly IReadOnlyList<string> _values;
    private readonly CancellationTokenSource _stop = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("chart-install-").FullName;
    private int _webhookPort;
    private string? _webhookService;
    private Kubernetes? _operatorClient;
    private readonly RestClientRequests _requests = new();
    private OperatorHost? _operator;
    private Task? _operatorRun;
    private WebhookServer? _webhook;
    private Lazy<Task>? _reconciled;

    public SimulatedCluster Cluster { get; private set; } = null!;

    public string KubeconfigPath { get; private set; } = null!;

    /// <summary>The user the operator's requests are made as: the chart's ServiceAccount.</summary>
    public string OperatorUser { get; private set; } = null!;

    /// <summary>What `helm get manifest` returned after the install.</summary>
    public IReadOnlyList<JsonObject> Manifest { get; private set; } = [];

    public ExternalProcess.Result InstallResult { get; private set; } = null!;

    public Kubernetes Client { get; private set; } = null!;

    /// <summary>The warnings the API server sent the operator (what its client logs), across the whole run.</summary>
    public IReadOnlyCollection<string> ApiWarnings => _apiWarnings.Messages;

    private readonly ApiWarningCapture _apiWarnings = new();

    private ILoggerFactory Logs => _logs ??= LoggerFactory.Create(b =>
    {
        b.AddProvider(_apiWarnings);
        if (System.Environment.GetEnvironmentVariable("OPERATOR_TEST_LOGS") == "1")
        {
            b.AddSimpleConsole().SetMinimumLevel(LogLevel.Information);
        }
    });

    private ILoggerFactory? _logs;

    public SimulatedInstall()
        : this(Values)
    {
    }

    private SimulatedInstall(IReadOnlyList<string> values)
    {
        _values = values;
    }

    public async Task InitializeAsync()
    {
        await InstallChartAsync();
        await StartOperatorAsync();
    }

    /// <summary>Installs the chart with <see cref="Values"/> plus more values and starts nothing else; the caller disposes it.</summary>
    public static async Task<SimulatedInstall> InstallOnlyAsync(params string[] values)
    {
        var install = new SimulatedInstall([.. values, .. Values]);
        try
        {
            await install.InstallChartAsync();
            return install;
        }
        catch
        {
            await install.DisposeAsync();
            throw;
        }
    }

    private async Task InstallChartAsync()
    {
        Cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions
        {
            Nodes = DemoInventory.Nodes(),
            ContainerCommand = RunContainerAsync,
            Server =
            {
                // Simulated Services route nowhere; the chart's webhook Service leads to the in-process webhook.
                WebhookServiceResolver = (ns, name, _, path) =>
                    ns == Namespace && name == _webhookService && _webhookPort != 0 ? new Uri($"https://127.0.0.1:{_webhookPort}{path}") : null,
            },
        });
        Client = Cluster.CreateClient();
        KubeconfigPath = Cluster.WriteKubeconfig(Path.Combine(_directory, "kubeconfig"));

        // cert-manager is installed in the cluster (its CRDs here; its Secret after the install below): the nv-ipam
        // webhook of the full example policy gets its certificate from it.
        (await KubectlAsync("apply", "-f", WriteFile("cert-manager-crds.yaml", NetworkOperator.Tests.Shared.CertManagerCrds.Yaml))).EnsureSuccess();

        // --wait=watcher: helm watches its objects until ready, so the operator Deployment must become Available
        // through the simulated Deployment controller, scheduler and kubelet.
        InstallResult = await Helm.RunAsync([
            "install", Release, ChartWorkspace.Directory, "--namespace", Namespace, "--create-namespace",
            "--kubeconfig", KubeconfigPath, "--wait=watcher", "--timeout", "100s", .. _values]);
        Assert.True(InstallResult.ExitCode == 0, $"helm install failed:\n{InstallResult.Output}");

        // ... and cert-manager's controller, which this cluster does not run, would issue the webhook's Secret.
        (await KubectlAsync("apply", "-f", WriteFile("nv-ipam-webhook-secret.yaml", NetworkOperator.Tests.Shared.CertManagerCrds.IssuedWebhookSecretYaml(Namespace)))).EnsureSuccess();

        var manifest = await Helm.RunAsync(["get", "manifest", Release, "--namespace", Namespace, "--kubeconfig", KubeconfigPath]);
        Assert.True(manifest.ExitCode == 0, $"helm get manifest failed:\n{manifest.Output}");
        Manifest = YamlJson.ParseDocuments(manifest.StdOut);
    }

    /// <summary>Containers whose command is the operator's executable (the chart's hook Jobs), as started by the kubelet.</summary>
    public ConcurrentQueue<string> ContainersRun { get; } = new();

    // What a container of a run-to-completion pod does: the operator image's command line, in-process, with a token of
    // the pod's ServiceAccount as identity and its ConfigMap volumes as files; any other command is not in the image
    // (exit 127, as a shell reports it).
    private async Task<int> RunContainerAsync(V1Pod pod, V1Container container, CancellationToken cancellationToken)
    {
        var command = container.Command ?? [];
        if (command is not [NetworkOperator.Cli.CliApplication.ExecutableName])
        {
            return 127;
        }

        var ns = pod.Metadata.NamespaceProperty;
        var serviceAccount = pod.Spec.ServiceAccountName ?? "default";
        var user = $"system:serviceaccount:{ns}:{serviceAccount}";
        var kubeconfig = Path.Combine(_directory, $"kubeconfig-{pod.Metadata.Name}");
        NetworkOperator.Simulator.Kubeconfig.Write(kubeconfig, Cluster.Server.SecureAddress,
            Cluster.Server.CreateServiceAccountToken(ns, serviceAccount), Cluster.Server.CertificateAuthorityPem);

        var args = (container.Args ?? []).ToList();
        foreach (var mount in container.VolumeMounts ?? [])
        {
            var volume = pod.Spec.Volumes?.FirstOrDefault(v => v.Name == mount.Name);
            if (volume?.ConfigMap is not { } source)
            {
                continue;
            }

            var files = Directory.CreateDirectory(Path.Combine(_directory, $"{pod.Metadata.Name}-{mount.Name}")).FullName;
            var configMap = await Client.CoreV1.ReadNamespacedConfigMapAsync(source.Name, ns, cancellationToken: cancellationToken);
            foreach (var (key, value) in configMap.Data ?? new Dictionary<string, string>())
            {
                await File.WriteAllTextAsync(Path.Combine(files, key), value, cancellationToken);
            }

            args = [.. args.Select(a => a.Replace(mount.MountPath, files, StringComparison.Ordinal))];
        }

        ContainersRun.Enqueue($"{user} {string.Join(' ', container.Args ?? [])}");
        return await NetworkOperator.Cli.CliApplication.RunAsync([.. args, "--kubeconfig", kubeconfig]);
    }

    public IEnumerable<JsonObject> ManifestOfKind(string kind) => Manifest.Where(o => RenderedChart.Kind(o) == kind);

    /// <summary>Starts the operator and its webhook in-process, as the installed Deployment would run them.</summary>
    public async Task StartOperatorAsync()
    {
        var deployment = Assert.Single(ManifestOfKind("Deployment"));
        var settings = RenderedOperatorCommand.Resolve(deployment);
        var serviceAccount = deployment["spec"]!["template"]!["spec"]!["serviceAccountName"]!.GetValue<string>();
        OperatorUser = $"system:serviceaccount:{Namespace}:{serviceAccount}";

        // `run` connects through the kubeconfig; a token issued for the chart's ServiceAccount (TokenRequest, as the
        // kubelet mounts it) makes the operator's requests that ServiceAccount's, authorized by the chart's RBAC only.
        var connection = RunCommand.Connect(new FileInfo(KubeconfigPath));
        connection.AccessToken = Cluster.Server.CreateServiceAccountToken(Namespace, serviceAccount);
        _operatorClient = RunCommand.CreateClient(connection, Logs, _requests);

        Assert.True(settings.Webhook.Enabled, "the install enables the webhook, so the Deployment must set ENABLE_WEBHOOKS=true");
        Assert.NotNull(settings.Operator.MetricsBindAddress);
        Assert.NotNull(settings.Operator.HealthProbeBindAddress);
        var options = settings.Operator with
        {
            // Same endpoints, on loopback and a free port: tests never listen beyond 127.0.0.1.
            MetricsBindAddress = "127.0.0.1:0",
            HealthProbeBindAddress = "127.0.0.1:0",
            // No registry is reachable; the offline lister is what OFED_PRECOMPILED_TAG_LISTER=offline selects.
            Tags = new OfflineTagLister(),
            RequestMetrics = _requests,
        };
        _operator = await OperatorHost.CreateAsync(_operatorClient, options, Logs);
        _operatorRun = Task.Run(() => _operator.RunAsync(_stop.Token));

        _webhookService = settings.Webhook.ServiceName;
        _webhook = await WebhookHost.StartAsync(settings.Webhook with
        {
            ListenAddress = IPAddress.Loopback,
            Port = 0,
            // No certificate Secret is mounted (no cert-manager values), so the operator generates one; the API server
            // reaches it at 127.0.0.1, hence the IP SAN.
            CertDirectory = Path.Combine(_directory, "no-serving-certs"),
            CertificateIpAddresses = [IPAddress.Loopback],
        }, _operatorClient, TimeProvider.System, Logs, _stop.Token);
        Assert.NotNull(_webhook);
        _webhookPort = _webhook.Port;
    }

    /// <summary>
    /// Applies the full example NicClusterPolicy and the example networks with kubectl (once, whichever test asks
    /// first), waits until all of them report ready, then upgrades the driver on every NIC node.
    /// </summary>
    public Task ReconciledAsync() => (_reconciled ??= new Lazy<Task>(ApplyExamplesAsync)).Value;

    private async Task ApplyExamplesAsync()
    {
        // The example networks target these namespaces.
        (await KubectlAsync("create", "namespace", "ai-jobs")).EnsureSuccess();
        foreach (var example in new[] { "nicclusterpolicy-full.yaml", "macvlannetwork.yaml", "hostdevicenetwork.yaml", "ipoibnetwork.yaml" })
        {
            (await KubectlAsync("apply", "-f", RepositoryRoot.Combine("examples", example))).EnsureSuccess();
        }

        await WaitForStateAsync("nicclusterpolicies", "nic-cluster-policy", "ready");
        foreach (var (plural, name) in new[]
        {
            ("macvlannetworks", "example-macvlannetwork"), ("macvlannetworks", "macvlan-tuned"),
            ("hostdevicenetworks", "example-hostdevice-network"), ("hostdevicenetworks", "hostdev-sbr"),
            ("ipoibnetworks", "example-ipoibnetwork"),
        })
        {
            await WaitForStateAsync(plural, name, "ready");
        }

        await UpgradeDriverAsync();
    }

    /// <summary>
    /// The example enables the driver auto-upgrade with drain: a workload to drain, then a new driver version, and every
    /// NIC node goes through cordon, drain, driver restart and uncordon until it is upgrade-done on the new driver.
    /// </summary>
    private async Task UpgradeDriverAsync()
    {
        (await KubectlAsync("apply", "-f", WriteFile("web.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: default
            spec:
              replicas: 4
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                  - name: web
                    image: registry.example/web:1
            """))).EnsureSuccess();
        const string newVersion = "doca3.1.0-25.07-0.9.8.0-0";
        (await KubectlAsync("patch", "nicclusterpolicy", "nic-cluster-policy", "--type", "merge", "-p",
            new JsonObject
            {
                // 0 = every node at once, to keep the test short.
                ["spec"] = new JsonObject { ["ofedDriver"] = new JsonObject { ["version"] = newVersion, ["upgradePolicy"] = new JsonObject { ["maxParallelUpgrades"] = 0 } } },
            }.ToJsonString())).EnsureSuccess();

        var nicNodes = DemoInventory.Nodes().Count(n => n.Metadata.Labels.ContainsKey(Labels.NicPresent));
        await WaitUntilAsync(async () =>
        {
            var drivers = (await Client.CoreV1.ListNamespacedPodAsync(Namespace, labelSelector: Labels.OfedDriver)).Items
                .Where(p => p.Metadata.DeletionTimestamp is null).ToList();
            var policy = JsonNode.Parse(KubernetesJson.Serialize(
                await Client.CustomObjects.GetClusterCustomObjectAsync("mellanox.com", "v1alpha1", "nicclusterpolicies", "nic-cluster-policy")));
            var counts = policy?["status"]?["upgrade"]?["nodeCountsByState"] as JsonObject;
            return drivers.Count == nicNodes
                && drivers.All(p => p.Spec.Containers.Any(c => c.Image.Contains(newVersion, StringComparison.Ordinal))
                    && p.Status?.ContainerStatuses?.All(c => c.Ready) == true)
                && counts is { Count: 1 } && counts["upgrade-done"]?.GetValue<int>() == nicNodes
                && policy?["status"]?["state"]?.GetValue<string>() == "ready";
        }, $"every NIC node upgraded to {newVersion}");
    }

    public async Task WaitForStateAsync(string plural, string name, string state)
    {
        string? last = null;
        try
        {
            await Eventually.TrueAsync(async () => (last = await StateAsync(plural, name)) == state, $"{plural}/{name} in state {state}", Eventually.LongTimeout);
            return;
        }
        catch (XunitException)
        {
            // Fails below with what the cluster looks like.
        }

        var status = JsonNode.Parse(KubernetesJson.Serialize(await Client.CustomObjects.GetClusterCustomObjectAsync("mellanox.com", "v1alpha1", plural, name)))?["status"];
        var workloads = await KubectlAsync("get", "deployments,replicasets,daemonsets,pods", "--all-namespaces", "-o", "wide");
        Assert.Fail($"{plural}/{name} did not reach state {state} (last: {last ?? "none"}); status: {status?.ToJsonString()}\n" +
            $"cluster: {string.Join("; ", Cluster.LastErrors)}\n{workloads.Output}");
    }

    public async Task<string?> StateAsync(string plural, string name)
    {
        var obj = await Client.CustomObjects.GetClusterCustomObjectAsync("mellanox.com", "v1alpha1", plural, name);
        return JsonNode.Parse(KubernetesJson.Serialize(obj))?["status"]?["state"]?.GetValue<string>();
    }

    private async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        try
        {
            await Eventually.TrueAsync(condition, what, Eventually.LongTimeout);
        }
        catch (XunitException)
        {
            var policy = await KubectlAsync("get", "nicclusterpolicy", "nic-cluster-policy", "-o", "jsonpath={.status}");
            var nodes = await KubectlAsync("get", "nodes", "-L", Labels.UpgradeState);
            var pods = await KubectlAsync("get", "pods", "--all-namespaces", "-o", "wide");
            Assert.Fail($"timed out waiting for: {what}\npolicy status: {policy.Output}\n{nodes.Output}\n{pods.Output}");
        }
    }

    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>The real kubectl with the simulator's kubeconfig and a private cache.</summary>
    public Task<ExternalProcess.Result> KubectlAsync(params string[] args) =>
        ExternalProcess.RunAsync(Kubectl, ["--kubeconfig", KubeconfigPath, "--cache-dir", Path.Combine(_directory, "kube-cache"), .. args],
            environment: new Dictionary<string, string> { ["HOME"] = _directory });

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_operatorRun is not null)
        {
            try
            {
                await _operatorRun.WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
            {
            }
        }

        if (_webhook is not null)
        {
            await _webhook.DisposeAsync();
        }

        if (_operator is not null)
        {
            await _operator.DisposeAsync();
        }

        _operatorClient?.Dispose();
        _requests.Dispose();
        _logs?.Dispose();
        Client?.Dispose();
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }

        _stop.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder is harmless.
        }
    }
}

/// <summary>Keeps what the operator's API warning logger writes.</summary>
internal sealed class ApiWarningCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _messages = new();

    public IReadOnlyCollection<string> Messages => _messages;

    public ILogger CreateLogger(string categoryName) =>
        categoryName == "NetworkOperator.Runtime.ApiWarnings" ? new Capture(_messages) : NullLogger.Instance;

    public void Dispose()
    {
    }

    private sealed class Capture(ConcurrentQueue<string> messages) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            messages.Enqueue(formatter(state, exception));
    }
}
