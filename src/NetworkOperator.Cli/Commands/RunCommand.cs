using System.CommandLine;
using k8s;
using Microsoft.Extensions.Logging;
using NetworkOperator.Controllers.Hosting;
using NetworkOperator.Controllers.Startup;
using NetworkOperator.Controllers.Webhooks;
using NetworkOperator.Rendering.Ofed;
using NetworkOperator.Runtime.Client;
using NetworkOperator.Runtime.Metrics;

namespace NetworkOperator.Cli.Commands;

/// <summary>
/// <c>run</c>: the operator process (docs/install.md contract). Connects with <c>--kubeconfig</c>/<c>KUBECONFIG</c>,
/// or in-cluster when running in a pod, or ~/.kube/config; everything else comes from the operator's environment variables
/// (<c>OperatorEnvironment</c>, the same variables as upstream).
/// </summary>
internal sealed class RunCommand : ICliCommand
{
    private readonly Option<bool> _leaderElect = new("--leader-elect")
    {
        Description = "Take part in leader election (Lease 12620820.mellanox.com in POD_NAMESPACE); only the leader reconciles.",
    };

    private readonly Option<string> _metrics = new("--metrics-bind-address")
    {
        Description = "Address of the Prometheus /metrics endpoint; \"0\" disables it.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("METRICS_BIND_ADDRESS") ?? ":8080",
    };

    private readonly Option<string> _health = new("--health-probe-bind-address")
    {
        Description = "Address of /healthz and /readyz; \"0\" disables them.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("HEALTH_PROBE_BIND_ADDRESS") ?? ":8081",
    };

    private readonly Option<string?> _webhookBind = new("--webhook-bind-address")
    {
        Description = "Address of the validating webhook (host[:port]; the port defaults to WEBHOOK_PORT, 9443). Default: WEBHOOK_BIND_ADDRESS, else every interface.",
    };

    private readonly Option<bool> _metricsSecure = new("--metrics-secure")
    {
        Description = "Serve /metrics over HTTPS, only to callers whose token the API server authenticates and authorizes for GET /metrics (TokenReview, SubjectAccessReview).",
        DefaultValueFactory = _ => string.Equals(Environment.GetEnvironmentVariable("METRICS_SECURE"), "true", StringComparison.OrdinalIgnoreCase),
    };

    private readonly Option<FileInfo?> _kubeconfig = new("--kubeconfig")
    {
        Description = "Kubeconfig to use instead of KUBECONFIG, the in-cluster service account or ~/.kube/config.",
    };

    private readonly Option<bool> _installCrds = new("--install-crds")
    {
        Description = "Install or upgrade the operator's CRDs before starting (the Helm chart does this with a hook instead).",
    };

    private readonly ZapLogging _logging = new();

    public int Order => 10;

    public Command Build()
    {
        var command = new Command("run", "Run the operator against a cluster.") { _leaderElect, _metrics, _metricsSecure, _health, _webhookBind, _kubeconfig, _installCrds };
        foreach (var option in _logging.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var settings = Resolve(parseResult, Environment.GetEnvironmentVariables());
            using var loggerFactory = LoggerFactory.Create(settings.Logging.Configure);
            using var requests = new RestClientRequests();
            using var client = CreateClient(Connect(settings.Kubeconfig), loggerFactory, requests);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var offline = Environment.GetEnvironmentVariable("OFED_PRECOMPILED_TAG_LISTER") == "offline";
            var tags = new RegistryTagLister(http, TimeProvider.System, settings.Operator.Environment.DriverImagePollPeriod);
            WebhookServer? webhook = null;
            try
            {
                // A kind the cluster did not serve at start-up that becomes served (cert-manager or Multus installed
                // later) ends the host's run; a new host in the same process wires its informers and watches.
                while (true)
                {
                    await using var host = await OperatorHost.CreateAsync(client, settings.Operator with
                    {
                        Tags = offline ? new OfflineTagLister() : tags,
                        RequestMetrics = requests,
                        RefreshTags = offline ? null : (repository, image, ct) => tags.RefreshAsync(repository, image, ct),
                    }, loggerFactory, cancellationToken: cancellationToken);
                    // The validating webhook shares the process (upstream does the same); it is off unless ENABLE_WEBHOOKS=true.
                    webhook ??= await StartWebhookAsync(settings.Webhook, client, loggerFactory, cancellationToken);
                    await host.RunAsync(cancellationToken);
                    if (host.RestartReason is null)
                    {
                        return 0;
                    }

                    // An API server behind a load balancer may serve a just-established CRD a moment later on some
                    // replicas; a short pause keeps a probe that still misses it from turning into a restart loop.
                    await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopped (SIGTERM, Ctrl+C) while still starting: a clean exit, as after running.
                return 0;
            }
            catch (Exception ex) when (ex is not UserErrorException and not OperationCanceledException)
            {
                // Like controller-runtime's "problem running manager": one line and exit 1, never an unhandled crash.
                throw new UserErrorException($"the operator stopped: {ApiErrors.Describe(ex)}");
            }
            finally
            {
                if (webhook is not null)
                {
                    await webhook.DisposeAsync();
                }
            }
        });
        return command;
    }

    /// <summary>The settings of the operator and its webhook (everything but the tag lister) that one parsed `run`
    /// command line and one environment mean. The Helm chart's Deployment relies on this contract; its end-to-end
    /// test starts the operator in-process through this method with the rendered args and env.</summary>
    internal RunSettings Resolve(ParseResult parseResult, System.Collections.IDictionary environment)
    {
        OperatorEnvironment env;
        try
        {
            env = OperatorEnvironment.Read(name => environment[name] as string);
        }
        catch (OperatorConfigurationException ex)
        {
            throw new UserErrorException(ex.Message);
        }

        WebhookOptions webhook;
        try
        {
            webhook = WebhookOptions.FromEnvironment(environment);
        }
        catch (FormatException ex)
        {
            throw new UserErrorException($"WEBHOOK_PORT/WEBHOOK_BIND_ADDRESS: {ex.Message}");
        }

        if (parseResult.GetValue(_webhookBind) is { Length: > 0 } bind)
        {
            try
            {
                var (address, port) = WebhookOptions.ParseBindAddress(bind, webhook.Port);
                webhook = webhook with { ListenAddress = address, Port = port };
            }
            catch (FormatException ex)
            {
                throw new UserErrorException($"--webhook-bind-address: {ex.Message}");
            }
        }

        var metricsAddress = Address(parseResult.GetValue(_metrics));
        var healthAddress = Address(parseResult.GetValue(_health));
        var secureMetrics = parseResult.GetValue(_metricsSecure);
        if (secureMetrics && metricsAddress is not null && metricsAddress == healthAddress && !metricsAddress.EndsWith(":0", StringComparison.Ordinal))
        {
            throw new UserErrorException($"--metrics-secure: /metrics needs its own address (HTTPS), but --metrics-bind-address and --health-probe-bind-address are both {metricsAddress}");
        }

        return new RunSettings(new OperatorOptions
        {
            Environment = env,
            LeaderElect = parseResult.GetValue(_leaderElect),
            MetricsBindAddress = metricsAddress,
            HealthProbeBindAddress = healthAddress,
            SecureMetrics = secureMetrics,
            InstallCrds = parseResult.GetValue(_installCrds),
        }, webhook, parseResult.GetValue(_kubeconfig), _logging.Resolve(parseResult));
    }

    private static async Task<WebhookServer?> StartWebhookAsync(WebhookOptions options, Kubernetes client, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        try
        {
            return await WebhookHost.StartAsync(options, client, TimeProvider.System, loggerFactory, cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            // Missing certificate settings are a deployment mistake: say which, without a stack trace.
            throw new UserErrorException("validating webhook: " + ex.Message);
        }
    }

    /// <summary>
    /// The operator's client: KubernetesClient with the API server's warnings logged (see <see cref="ApiWarningLogger"/>)
    /// and its requests counted for <c>/metrics</c>.
    /// </summary>
    internal static Kubernetes CreateClient(KubernetesClientConfiguration connection, ILoggerFactory loggerFactory,
        RestClientRequests requests) =>
        new(connection, new ApiWarningLogger(loggerFactory.CreateLogger("NetworkOperator.Runtime.ApiWarnings")), requests);

    internal static KubernetesClientConfiguration Connect(FileInfo? kubeconfig)
    {
        try
        {
            if (kubeconfig is not null)
            {
                if (!kubeconfig.Exists)
                {
                    throw new UserErrorException($"{kubeconfig.FullName}: kubeconfig file not found");
                }

                return Kubeconfig.Load(kubeconfig.FullName);
            }

            return Kubeconfig.Default();
        }
        catch (k8s.Exceptions.KubeConfigException ex)
        {
            throw new UserErrorException($"cannot load the cluster connection: {ex.Message}");
        }
    }

    // controller-runtime spellings: ":8080" means every interface, "0" disables the endpoint.
    internal static string? Address(string? value) => value switch
    {
        null or "" or "0" => null,
        _ when value.StartsWith(':') => "0.0.0.0" + value,
        _ => value,
    };
}
