using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using NetworkOperator.Runtime.Client;

namespace NetworkOperator.Runtime.Tests.Client;

/// <summary>The API server's Warning headers reach the operator's log, each distinct text once.</summary>
public sealed class ApiWarningLoggerTests
{
    [Theory]
    [InlineData("299 - \"unknown field \\\"spec.x\\\"\"", new[] { "unknown field \"spec.x\"" })]
    [InlineData("299 - \"a, b\", 299 - \"c\"", new[] { "a, b", "c" })]
    [InlineData("299 kube-apiserver \"dated\" \"Mon, 07 Dec 2026 20:00:00 GMT\", 299 - \"next\"", new[] { "dated", "next" })]
    [InlineData("garbage without quotes", new string[0])]
    public void Parses_the_texts_of_a_warning_header(string header, string[] texts) =>
        Assert.Equal(texts, ApiWarningLogger.Parse(header));

    [Fact]
    public async Task Warnings_from_the_server_are_logged_once_per_distinct_text()
    {
        await using var cluster = await Cluster.StartAsync(o => o.NamespaceDefaults = true); // the default ServiceAccount a pod needs
        using var logs = new CapturedLogs();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        using var client = new Kubernetes(cluster.Server.CreateClientConfiguration(), new ApiWarningLogger(factory.CreateLogger("warnings")));
        // KubernetesClient's models are newer than Kubernetes 1.32: hostnameOverride (1.34) is a field a 1.32 server
        // drops, and with no fieldValidation parameter (the server's default, Warn) it says so in a Warning header.
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p" },
            Spec = new V1PodSpec { HostnameOverride = "h", Containers = [new V1Container { Name = "c", Image = "nginx" }] },
        };
        for (var i = 0; i < 3; i++)
        {
            await client.CoreV1.CreateNamespacedPodAsync(pod, "default", dryRun: "All");
        }

        var entry = Assert.Single(logs.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Contains("unknown field \"spec.hostnameOverride\"", entry.Message, StringComparison.Ordinal);
        Assert.Contains("/api/v1/namespaces/default/pods", entry.Message, StringComparison.Ordinal);
    }
}
