using System.Text.Json.Nodes;
using NetworkOperator.Chart.Tests.Infrastructure;

namespace NetworkOperator.Chart.Tests;

/// <summary>
/// ci/upstream-keys-values.yaml sets every key of upstream's values file (with this operator's image): the chart
/// accepts it strictly and honours each key, in its own objects or by handing it to the dependency chart it belongs to.
/// </summary>
[Trait("Category", "Slow")]
public class UpstreamValuesTests
{
    private const string ValuesFile = "upstream-keys-values.yaml";

    [Fact]
    public async Task Lint_strict_and_template_accept_every_upstream_key()
    {
        var lint = await Helm.RunAsync("lint", "--strict", ChartWorkspace.Directory, "-f", Path.Combine(ChartWorkspace.Directory, "ci", ValuesFile), "--kube-version", "1.32.0");
        Assert.True(lint.ExitCode == 0, lint.Output);
        Assert.DoesNotContain("[WARNING]", lint.Output, StringComparison.Ordinal);

        // Every key the file sets is one values.yaml declares (nothing silently ignored by a typo in either).
        var defaults = YamlJson.ParseDocuments(File.ReadAllText(Path.Combine(ChartWorkspace.SourceDirectory, "values.yaml"))).Single();
        var upstream = YamlJson.ParseDocuments(File.ReadAllText(Path.Combine(ChartWorkspace.SourceDirectory, "ci", ValuesFile))).Single();
        var undeclared = Keys(upstream, string.Empty).Where(k => !Declared(defaults, k)).ToList();
        Assert.True(undeclared.Count == 0, "keys not in values.yaml: " + string.Join(", ", undeclared));
    }

    [Fact]
    public async Task The_operator_its_hooks_and_webhook_honour_the_operator_keys()
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync(ValuesFile);
        var deployment = chart.One("Deployment", RenderedChart.ReleaseName);
        var pod = deployment["spec"]!["template"]!["spec"]!;
        var container = OperatorDeploymentTests.OperatorContainer(chart, RenderedChart.ReleaseName);
        var env = OperatorDeploymentTests.Env(container);

        Assert.Equal("registry.example.com/mirror/network-operator-dotnet:v26.7.0-mirror", container["image"]!.GetValue<string>());
        Assert.Equal("400m", container["resources"]!["limits"]!["cpu"]!.GetValue<string>());
        Assert.Equal("96Mi", container["resources"]!["requests"]!["memory"]!.GetValue<string>());
        Assert.Equal("system-cluster-critical", pod["priorityClassName"]!.GetValue<string>());
        Assert.Equal(40, pod["terminationGracePeriodSeconds"]!.GetValue<long>());
        Assert.Equal(20, container["lifecycle"]!["preStop"]!["sleep"]!["seconds"]!.GetValue<long>());
        Assert.Equal("example.com/operators", pod["tolerations"]![0]!["key"]!.GetValue<string>());
        Assert.Equal("infra", pod["nodeSelector"]!["example.com/pool"]!.GetValue<string>());
        Assert.Equal(5, pod["affinity"]!["nodeAffinity"]!["preferredDuringSchedulingIgnoredDuringExecution"]![0]!["weight"]!.GetValue<long>());
        Assert.Equal(["operator-pull"], pod["imagePullSecrets"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()));
        Assert.Equal("/var/lib/cni/bin", env["CNI_BIN_DIR"]);
        Assert.Equal("/etc/kubernetes/cni/net.d", env["CNI_NETWORK_DIR"]);
        Assert.Equal("false", env["USE_DTK"]);
        Assert.Equal("true", env["MAINTENANCE_OPERATOR_ENABLED"]);
        Assert.Equal("example.doca-driver-upgrade", env["MAINTENANCE_OPERATOR_REQUESTOR_ID"]);
        Assert.Equal("maintenance", env["MAINTENANCE_OPERATOR_REQUESTOR_NAMESPACE"]);
        Assert.Equal("nno", env["MAINTENANCE_OPERATOR_NODE_MAINTENANCE_PREFIX"]);
        Assert.Equal("registry.example.com/mirror/network-operator-init-container:mirrored-2", env["OFED_INIT_CONTAINER_IMAGE"]);
        Assert.Equal("true", env["ENABLE_WEBHOOKS"]);

        // The own-certificate webhook (useCertManager false with certificate.*), under upstream's names.
        var caBundle = chart.One("ValidatingWebhookConfiguration", RenderedChart.ReleaseName + "-validating-webhook-configuration")["webhooks"]![0]!["clientConfig"]!["caBundle"]!.GetValue<string>();
        Assert.Contains("MIIE", System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(caBundle)), StringComparison.Ordinal);
        chart.One("Service", RenderedChart.ReleaseName + "-webhook-service");
        chart.One("Secret", "webhook-server-cert");

        // Both hooks run the same image with the same scheduling.
        foreach (var job in new[] { "network-operator-upgrade-crd", "network-operator-keep-ncp" })
        {
            var jobPod = chart.One("Job", job)["spec"]!["template"]!["spec"]!;
            Assert.Equal(container["image"]!.GetValue<string>(), jobPod["containers"]![0]!["image"]!.GetValue<string>());
            Assert.Equal("infra", jobPod["nodeSelector"]!["example.com/pool"]!.GetValue<string>());
            Assert.Equal(["operator-pull"], jobPod["imagePullSecrets"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()));
        }

        // With NFD deployed by the chart, the NodeFeatureRule renders without --api-versions.
        chart.One("NodeFeatureRule", "nvidia-nics-rules");
    }

    [Theory]
    [InlineData("node-feature-discovery", "image.repository", "registry.example.com/mirror/node-feature-discovery")]
    [InlineData("node-feature-discovery", "postDeleteCleanup", "false")]
    [InlineData("node-feature-discovery", "gc.replicaCount", "2")]
    [InlineData("node-feature-discovery", "worker.config.sources.pci.deviceLabelFields", "[\"vendor\",\"device\"]")]
    [InlineData("sriov-network-operator", "images.sriovDraDriver", "registry.example.com/mirror/dra-driver-sriov:1")]
    [InlineData("sriov-network-operator", "operator.resourcePrefix", "example.com")]
    [InlineData("sriov-network-operator", "operator.admissionControllers.certificates.custom.enabled", "true")]
    [InlineData("sriov-network-operator", "imagePullSecrets", "[\"sriov-pull\"]")]
    [InlineData("maintenance-operator-chart", "operator.image.tag", "1")]
    [InlineData("maintenance-operator-chart", "operatorConfig.deploy", "true")]
    public async Task Dependency_blocks_reach_their_chart_under_upstreams_keys(string dependency, string path, string expected)
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync(ValuesFile);
        var received = YamlJson.ParseDocuments(chart.One("ConfigMap", $"standin-values-{dependency}")["data"]!["values.yaml"]!.GetValue<string>()).Single();
        JsonNode? node = received;
        foreach (var part in path.Split('.'))
        {
            node = node?[part];
        }

        Assert.NotNull(node);
        Assert.Equal(expected, node is JsonValue ? node.ToString() : node.ToJsonString());
    }

    [Fact]
    public async Task The_defaults_keep_nfd_labels_on_uninstall_and_use_nvidias_nfd_image()
    {
        var chart = await RenderedChart.RenderAsync("--set", "nfd.enabled=true");
        var nfd = YamlJson.ParseDocuments(chart.One("ConfigMap", "standin-values-node-feature-discovery")["data"]!["values.yaml"]!.GetValue<string>()).Single();
        Assert.False(nfd["postDeleteCleanup"]!.GetValue<bool>());
        Assert.Equal("nvcr.io/nvidia/mellanox/node-feature-discovery", nfd["image"]!["repository"]!.GetValue<string>());
        Assert.Equal("network-operator-v26.7.0", nfd["image"]!["tag"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("nvcr.io/nvidia/mellanox")]
    [InlineData("nvcr.io/nvstaging/mellanox")]
    [InlineData("ghcr.io/mellanox")]
    [InlineData("nvcr.io/nvidia/cloud-native/")]
    public async Task Upstreams_go_operator_image_is_refused_with_the_reason(string repository)
    {
        var result = await Helm.RunAsync("template", "x", ChartWorkspace.Directory, "--kube-version", "1.32.0",
            "--set", "nfd.enabled=false", "--set", $"operator.repository={repository}", "--set", "operator.image=network-operator");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("point at NVIDIA's Go operator image", result.Output, StringComparison.Ordinal);
        Assert.Contains("Build and push this repository's image and set operator.repository", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Our_image_in_nvidias_registry_under_another_name_is_accepted()
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync("default-values.yaml",
            "--set", "operator.repository=nvcr.io/nvidia/mellanox", "--set", "operator.image=network-operator-dotnet");
        Assert.Equal("nvcr.io/nvidia/mellanox/network-operator-dotnet:v26.7.0", OperatorDeploymentTests.OperatorContainer(chart, RenderedChart.ReleaseName)["image"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("operator.coverage.enabled=true", "operator.coverage.enabled: Go coverage collection applies only to upstream's Go operator image")]
    [InlineData("operator.maintenanceOperator.useDrainControllerRequestor=true", "operator.maintenanceOperator.useDrainControllerRequestor: this operator has no SR-IOV drain controller")]
    public async Task Upstream_switches_this_operator_cannot_honour_are_refused_with_the_reason(string setting, string message)
    {
        var result = await Helm.RunAsync("template", "x", ChartWorkspace.Directory, "--kube-version", "1.32.0", "--set", "nfd.enabled=false", "--set", setting);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.Output, StringComparison.Ordinal);
    }

    private static IEnumerable<string> Keys(JsonNode? node, string prefix)
    {
        if (node is JsonObject obj && obj.Count > 0)
        {
            return obj.SelectMany(p => Keys(p.Value, prefix.Length == 0 ? p.Key : $"{prefix}.{p.Key}"));
        }

        return [prefix];
    }

    /// <summary>Settings whose value is a free-form map or list (a Kubernetes type), not keys of ours.</summary>
    private static readonly string[] FreeForm = ["operator.nodeSelector", "operator.tolerations", "operator.affinity", "operator.resources"];

    /// <summary>Declared when values.yaml has the key, or the block it is in belongs to a dependency chart.</summary>
    private static bool Declared(JsonNode defaults, string key)
    {
        var parts = key.Split('.');
        if (parts[0] is "node-feature-discovery" or "sriov-network-operator" or "maintenance-operator-chart"
            || FreeForm.Any(f => key == f || key.StartsWith(f + ".", StringComparison.Ordinal)))
        {
            return true;
        }

        JsonNode? node = defaults;
        foreach (var part in parts)
        {
            if (node is not JsonObject obj || !obj.TryGetPropertyValue(part, out node))
            {
                return false;
            }
        }

        return true;
    }
}
