using System.Text.Json.Nodes;
using NetworkOperator.Chart.Tests.Infrastructure;

namespace NetworkOperator.Chart.Tests;

[Trait("Category", "Slow")]
public class OperatorDeploymentTests
{
    /// <summary>The `run` contract written down in docs/install.md; the operator's run command implements these flags.</summary>
    private static readonly string[] RunArgs =
        ["run", "--leader-elect", "--metrics-bind-address=:8080", "--health-probe-bind-address=:8081"];

    [Fact]
    public async Task Defaults_run_our_image_with_the_documented_command_line()
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync("default-values.yaml");
        var container = OperatorContainer(chart, RenderedChart.ReleaseName);

        Assert.Equal("ghcr.io/network-operator-dotnet/network-operator:v26.7.0", container["image"]!.GetValue<string>());
        Assert.Equal(["network-operator"], Strings(container["command"]));
        Assert.Equal(RunArgs, Strings(container["args"]));

        var install = await File.ReadAllTextAsync(RepositoryRoot.Combine("docs", "install.md"));
        Assert.Contains($"network-operator {string.Join(' ', RunArgs)}", install, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Defaults_follow_the_recommended_pod_settings()
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync("default-values.yaml");
        var deployment = chart.One("Deployment", RenderedChart.ReleaseName);
        var pod = deployment["spec"]!["template"]!;
        var podSpec = pod["spec"]!;
        var container = OperatorContainer(chart, RenderedChart.ReleaseName);

        Assert.Equal(1, deployment["spec"]!["replicas"]!.GetValue<long>());
        Assert.Equal("true", pod["metadata"]!["labels"]!["nvidia.com/ofed-driver-upgrade-drain.skip"]!.GetValue<string>());
        Assert.Equal("network-operator", pod["metadata"]!["annotations"]!["kubectl.kubernetes.io/default-container"]!.GetValue<string>());
        Assert.Equal("system-node-critical", podSpec["priorityClassName"]!.GetValue<string>());
        Assert.Equal(30, podSpec["terminationGracePeriodSeconds"]!.GetValue<long>());
        Assert.Equal(25, container["lifecycle"]!["preStop"]!["sleep"]!["seconds"]!.GetValue<long>());

        // Selector labels must select the pod template.
        foreach (var (key, value) in deployment["spec"]!["selector"]!["matchLabels"]!.AsObject())
        {
            Assert.Equal(value!.GetValue<string>(), pod["metadata"]!["labels"]![key]!.GetValue<string>());
        }

        Assert.Equal("/healthz", container["livenessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
        Assert.Equal(8081, container["livenessProbe"]!["httpGet"]!["port"]!.GetValue<long>());
        Assert.Equal("/readyz", container["readinessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
        Assert.Equal(8081, container["readinessProbe"]!["httpGet"]!["port"]!.GetValue<long>());
        var ports = container["ports"]!.AsArray().ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!["containerPort"]!.GetValue<long>());
        Assert.Equal(new Dictionary<string, long> { ["metrics"] = 8080, ["health"] = 8081 }, ports);

        Assert.Equal("5m", container["resources"]!["requests"]!["cpu"]!.GetValue<string>());
        Assert.Equal("64Mi", container["resources"]!["requests"]!["memory"]!.GetValue<string>());
        Assert.Equal("500m", container["resources"]!["limits"]!["cpu"]!.GetValue<string>());
        Assert.Equal("128Mi", container["resources"]!["limits"]!["memory"]!.GetValue<string>());

        Assert.Equal(65532, podSpec["securityContext"]!["runAsUser"]!.GetValue<long>());
        Assert.True(podSpec["securityContext"]!["runAsNonRoot"]!.GetValue<bool>());
        var securityContext = container["securityContext"]!;
        Assert.False(securityContext["allowPrivilegeEscalation"]!.GetValue<bool>());
        Assert.True(securityContext["readOnlyRootFilesystem"]!.GetValue<bool>());
        Assert.Equal(["ALL"], Strings(securityContext["capabilities"]!["drop"]));
        Assert.Equal("RuntimeDefault", securityContext["seccompProfile"]!["type"]!.GetValue<string>());
        Assert.Contains(podSpec["tolerations"]!.AsArray(), t => t!["key"]!.GetValue<string>() == "node-role.kubernetes.io/control-plane");
    }

    [Fact]
    public async Task Defaults_set_the_operator_environment()
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync("default-values.yaml");
        var container = OperatorContainer(chart, RenderedChart.ReleaseName);
        var env = Env(container);

        Assert.Equal("metadata.namespace", container["env"]!.AsArray().Single(e => e!["name"]!.GetValue<string>() == "POD_NAMESPACE")!["valueFrom"]!["fieldRef"]!["fieldPath"]!.GetValue<string>());
        Assert.Equal("network-operator", env["OPERATOR_NAME"]);
        Assert.Equal("false", env["ENABLE_WEBHOOKS"]);
        Assert.Equal("true", env["USE_DTK"]);
        Assert.Equal("/opt/cni/bin", env["CNI_BIN_DIR"]);
        Assert.Equal("/etc/cni/net.d", env["CNI_NETWORK_DIR"]);
        Assert.Equal("nvcr.io/nvidia/mellanox/network-operator-init-container:network-operator-v26.7.0", env["OFED_INIT_CONTAINER_IMAGE"]);
        Assert.DoesNotContain(env.Keys, k => k.StartsWith("MAINTENANCE_OPERATOR_", StringComparison.Ordinal) || k.StartsWith("DRAIN_CONTROLLER_", StringComparison.Ordinal) || k.StartsWith("WEBHOOK_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Custom_values_change_image_names_pull_secrets_and_environment()
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync("custom-image-values.yaml");
        var deployment = chart.One("Deployment", "nno");
        var podSpec = deployment["spec"]!["template"]!["spec"]!;
        var container = OperatorContainer(chart, "nno");
        var env = Env(container);

        Assert.Equal("registry.example.com/mirror/nno-dotnet:1.2.3", container["image"]!.GetValue<string>());
        Assert.Equal(2, deployment["spec"]!["replicas"]!.GetValue<long>());
        // operator.imagePullSecrets wins over the top-level list.
        Assert.Equal(["registry-secret"], podSpec["imagePullSecrets"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()));
        Assert.Null(podSpec["priorityClassName"]);
        Assert.Null(container["lifecycle"]);
        Assert.Equal("false", env["USE_DTK"]);
        Assert.Equal("/var/lib/cni/bin", env["CNI_BIN_DIR"]);
        Assert.False(env.ContainsKey("OFED_INIT_CONTAINER_IMAGE"));
        Assert.Equal("true", env["MAINTENANCE_OPERATOR_ENABLED"]);
        Assert.Equal("nvidia.doca-driver-upgrade", env["MAINTENANCE_OPERATOR_REQUESTOR_ID"]);
        Assert.Equal("maintenance", env["MAINTENANCE_OPERATOR_REQUESTOR_NAMESPACE"]);
        Assert.Equal("network-operator", env["MAINTENANCE_OPERATOR_NODE_MAINTENANCE_PREFIX"]);
        // No SR-IOV drain controller runs here, so its settings are never passed (docs/differences-from-upstream.md).
        Assert.DoesNotContain(env.Keys, k => k.StartsWith("DRAIN_CONTROLLER_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Top_level_pull_secrets_apply_when_the_operator_has_none()
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync("default-values.yaml", "--set", "imagePullSecrets={shared}");
        var podSpec = chart.One("Deployment")["spec"]!["template"]!["spec"]!;
        Assert.Equal(["shared"], podSpec["imagePullSecrets"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()));
    }

    internal static JsonNode OperatorContainer(RenderedChart chart, string deploymentName)
    {
        var containers = chart.One("Deployment", deploymentName)["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        return Assert.Single(containers, c => c!["name"]!.GetValue<string>() == "network-operator")!;
    }

    internal static Dictionary<string, string?> Env(JsonNode container) =>
        container["env"]!.AsArray().ToDictionary(e => e!["name"]!.GetValue<string>(), e => e!["value"]?.GetValue<string>());

    internal static List<string> Strings(JsonNode? node) => node!.AsArray().Select(n => n!.GetValue<string>()).ToList();
}
