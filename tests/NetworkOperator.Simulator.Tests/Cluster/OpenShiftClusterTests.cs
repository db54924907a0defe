using System.Text.Json;
using NetworkOperator.Tests.Shared;
using k8s;
using k8s.Models;
using NetworkOperator.Simulator.Cluster;
using NetworkOperator.Simulator.Cluster.Nodes;
using NetworkOperator.Simulator.Cluster.OpenShift;
using KubectlRunner = NetworkOperator.Simulator.Tests.Support.Kubectl;

namespace NetworkOperator.Simulator.Tests.Cluster;

/// <summary>A cluster started as OpenShift serves OpenShift's kinds to kubectl, runs RHCOS workers and injects trusted CA bundles.</summary>
public sealed class OpenShiftClusterTests
{
    [Trait("Category", "Slow")]
    [Fact]
    public async Task Kubectl_sees_OpenShift_kinds_and_RHCOS_workers()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions { OpenShift = true, NodeCount = 4, SyntheticNodes = { CpuOnlyShare = 0 } });
        using var kubectl = new KubectlRunner(cluster.Server);

        var version = (await kubectl.RunAsync("get", "clusterversion", "version", "-o", "jsonpath={.spec.channel}")).EnsureSuccess();
        Assert.StartsWith("stable-", version.Stdout, StringComparison.Ordinal);
        (await kubectl.RunAsync("get", "proxy", "cluster")).EnsureSuccess();
        (await kubectl.RunAsync("get", "scc", "privileged")).EnsureSuccess();

        // One toolkit tag per RHCOS build the workers run (the short name `is` works as on OpenShift).
        var tags = (await kubectl.RunAsync("get", "is", "driver-toolkit", "-n", "openshift", "-o", "jsonpath={.spec.tags[*].name}")).EnsureSuccess();
        var names = tags.Stdout.Trim().Split(' ');
        foreach (var pool in NodePool.OpenShift)
        {
            Assert.Contains(pool.OsTreeVersion, names);
        }

        var labels = (await kubectl.RunAsync("get", "nodes", "-o", "json")).EnsureSuccess();
        using var nodes = JsonDocument.Parse(labels.Stdout);
        var items = nodes.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(4, items.Count);
        foreach (var node in items)
        {
            var l = node.GetProperty("metadata").GetProperty("labels");
            Assert.Equal("rhcos", l.GetProperty(NodeLabels.OsReleaseId).GetString());
            Assert.Equal("rhcos", l.GetProperty(NodeLabels.OpenShiftOsId).GetString());
            Assert.True(l.TryGetProperty(NodeLabels.WorkerRole, out _));
            var build = l.GetProperty(NodeLabels.OsTreeVersion).GetString();
            Assert.Contains(NodePool.OpenShift, p => p.OsTreeVersion == build && p.Kernel == l.GetProperty(NodeLabels.KernelVersionFull).GetString());
        }
    }

    [Fact]
    public async Task A_labelled_ConfigMap_gets_the_platform_CA_and_the_proxy_CA_and_keeps_them()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions { OpenShift = true, NodeCount = 1 });
        using var client = cluster.CreateClient();
        const string userCa = "-----BEGIN CERTIFICATE-----\nMIIBdXNlcg==\n-----END CERTIFICATE-----\n";
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "user-ca-bundle" },
            Data = new Dictionary<string, string> { ["ca-bundle.crt"] = userCa },
        }, OpenShiftPlatform.ConfigNamespace);
        await client.CustomObjects.PatchClusterCustomObjectAsync(new V1Patch("""{"spec":{"trustedCA":{"name":"user-ca-bundle"}}}""", V1Patch.PatchType.MergePatch),
            "config.openshift.io", "v1", "proxies", OpenShiftPlatform.ProxyName);

        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "trusted", Labels = new Dictionary<string, string> { [TrustedCaInjector.Label] = "true" } },
            Data = new Dictionary<string, string> { ["ca-bundle.crt"] = string.Empty },
        }, "default");
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "plain" },
            Data = new Dictionary<string, string> { ["ca-bundle.crt"] = string.Empty },
        }, "default");

        var bundle = await FilledAsync(client, "trusted");
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", bundle, StringComparison.Ordinal);
        Assert.EndsWith(userCa, bundle, StringComparison.Ordinal);

        // Someone blanks it: the platform writes it back. An unlabelled ConfigMap is never touched.
        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"ca-bundle.crt":""}}""", V1Patch.PatchType.MergePatch), "trusted", "default");
        Assert.Equal(bundle, await FilledAsync(client, "trusted"));
        Assert.Equal(string.Empty, (await client.CoreV1.ReadNamespacedConfigMapAsync("plain", "default")).Data["ca-bundle.crt"]);
    }

    private static Task<string> FilledAsync(Kubernetes client, string name) =>
        Eventually.ValueAsync(async () => (await client.CoreV1.ReadNamespacedConfigMapAsync(name, "default")).Data is { } data
            && data.TryGetValue("ca-bundle.crt", out var value) && value.Length > 0 ? value : null, $"ConfigMap {name} filled");
}
