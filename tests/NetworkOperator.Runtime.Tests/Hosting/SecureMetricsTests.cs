using System.Net;
using System.Net.Http.Headers;
using k8s;
using k8s.Models;
using NetworkOperator.Runtime.Hosting;
using NetworkOperator.Runtime.Reconcile;
using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Runtime.Tests.Hosting;

/// <summary>
/// Secure metrics against the embedded API server: the manager runs as a ServiceAccount bound to
/// system:auth-delegator only, and answers scrapers by the API server's TokenReview and SubjectAccessReview.
/// </summary>
public class SecureMetricsTests
{
    [Fact]
    public async Task Metrics_need_a_token_the_API_server_authenticates_and_authorizes_for_get_on_the_metrics_url()
    {
        await using var cluster = await Cluster.StartAsync();
        var operatorToken = await ServiceAccountAsync(cluster, "operator");
        await BindAsync(cluster, "operator-auth-delegator", "system:auth-delegator", "operator");
        await BindAsync(cluster, "operator-view", "view", "operator");
        var scraperToken = await ServiceAccountAsync(cluster, "prometheus");
        await cluster.Client.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole
        {
            Metadata = new V1ObjectMeta { Name = "metrics-reader" },
            Rules = [new V1PolicyRule { NonResourceURLs = ["/metrics"], Verbs = ["get"] }],
        });
        await BindAsync(cluster, "prometheus-metrics-reader", "metrics-reader", "prometheus");
        var otherToken = await ServiceAccountAsync(cluster, "nobody");

        var operatorUser = "system:serviceaccount:default:operator";
        await using var manager = new ControllerManager(cluster.Server.CreateClient(operatorToken), new ManagerOptions
        {
            HealthProbeBindAddress = "127.0.0.1:0",
            MetricsBindAddress = "127.0.0.1:0",
            SecureMetrics = true,
        });
        manager.NewController().For<V1ConfigMap>().Complete((_, _) => Task.FromResult(ReconcileResult.Done));
        using var stop = new CancellationTokenSource();
        var run = manager.RunAsync(stop.Token);
        await manager.Started.WaitAsync(Eventually.Timeout);

        // Probes stay plain HTTP on their own address; metrics are HTTPS on theirs.
        Assert.True(manager.EndpointAddresses.Count == 2, string.Join(", ", manager.EndpointAddresses));
        var health = Assert.Single(manager.EndpointAddresses, a => a.Scheme == "http");
        var metrics = Assert.Single(manager.EndpointAddresses, a => a.Scheme == "https");
        using var plain = new HttpClient { BaseAddress = health };
        Assert.Equal("ok", await plain.GetStringAsync("/healthz"));
        Assert.Equal(HttpStatusCode.NotFound, (await plain.GetAsync("/metrics")).StatusCode);

        using var handler = new HttpClientHandler
        {
            // The endpoint's certificate is self-signed; accept exactly that one.
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Subject == "CN=network-operator-metrics",
        };
        using var https = new HttpClient(handler) { BaseAddress = metrics };

        async Task<(HttpStatusCode Status, string Body)> ScrapeAsync(string? token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            using var response = await https.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        Assert.Equal((HttpStatusCode.Unauthorized, "Unauthorized\n"), await ScrapeAsync(null));
        Assert.Equal((HttpStatusCode.Unauthorized, "Unauthorized\n"), await ScrapeAsync("not-a-token"));
        Assert.Equal((HttpStatusCode.Forbidden, "Authorization denied for user system:serviceaccount:default:nobody\n"), await ScrapeAsync(otherToken));
        var allowed = await ScrapeAsync(scraperToken);
        Assert.Equal(HttpStatusCode.OK, allowed.Status);
        Assert.Contains("workqueue_adds_total", allowed.Body, StringComparison.Ordinal);

        // Each answer came from the API server's reviews, asked by the operator's own identity.
        var reviews = cluster.Server.Audit.ByUser(operatorUser);
        Assert.Contains(reviews, r => r is { Verb: "create", Group: "authentication.k8s.io", Resource: "tokenreviews" });
        Assert.Contains(reviews, r => r is { Verb: "create", Group: "authorization.k8s.io", Resource: "subjectaccessreviews" });

        await stop.CancelAsync();
        await run.WaitAsync(Eventually.Timeout);
    }

    private static async Task<string> ServiceAccountAsync(Cluster cluster, string name)
    {
        await cluster.Client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = name } }, "default");
        return cluster.Server.CreateServiceAccountToken("default", name);
    }

    private static Task<V1ClusterRoleBinding> BindAsync(Cluster cluster, string name, string clusterRole, string serviceAccount) =>
        cluster.Client.RbacAuthorizationV1.CreateClusterRoleBindingAsync(new V1ClusterRoleBinding
        {
            Metadata = new V1ObjectMeta { Name = name },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = clusterRole },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = serviceAccount, NamespaceProperty = "default" }],
        });
}
