using NetworkOperator.Chart.Tests.Infrastructure;
using NetworkOperator.Chart.Tests.Install;

namespace NetworkOperator.Chart.Tests;

/// <summary>
/// operator.metricsSecure: the run command gets --metrics-secure, the operator's ServiceAccount may review tokens and
/// access (system:auth-delegator), and a ClusterRole for scrapers is rendered; off by default, as upstream.
/// </summary>
[Trait("Category", "Slow")]
public class MetricsSecurityTests
{
    private static string AuthDelegatorBinding => RenderedChart.ReleaseName + "-auth-delegator";

    private static string MetricsReader => RenderedChart.ReleaseName + "-metrics-reader";

    [Fact]
    public async Task Secure_metrics_are_off_by_default()
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync("default-values.yaml");
        var deployment = chart.One("Deployment", RenderedChart.ReleaseName);

        Assert.False(RenderedOperatorCommand.Resolve(deployment).Operator.SecureMetrics);
        Assert.DoesNotContain(chart.OfKind("ClusterRoleBinding"), b => RenderedChart.Name(b) == AuthDelegatorBinding);
        Assert.DoesNotContain(chart.OfKind("ClusterRole"), r => RenderedChart.Name(r) == MetricsReader);
    }

    [Fact]
    public async Task Secure_metrics_bind_the_operator_to_auth_delegator_and_render_a_reader_role()
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync("default-values.yaml",
            "--set", "operator.metricsSecure=true", "--set", "operator.metricsBindAddress=:8443");
        var deployment = chart.One("Deployment", RenderedChart.ReleaseName);
        var settings = RenderedOperatorCommand.Resolve(deployment);

        Assert.True(settings.Operator.SecureMetrics);
        Assert.Equal("0.0.0.0:8443", settings.Operator.MetricsBindAddress);
        var serviceAccount = deployment["spec"]!["template"]!["spec"]!["serviceAccountName"]!.GetValue<string>();
        var binding = chart.One("ClusterRoleBinding", AuthDelegatorBinding);
        Assert.Equal("ClusterRole", binding["roleRef"]!["kind"]!.GetValue<string>());
        Assert.Equal("system:auth-delegator", binding["roleRef"]!["name"]!.GetValue<string>());
        var subject = Assert.Single(binding["subjects"]!.AsArray())!;
        Assert.Equal(("ServiceAccount", serviceAccount, RenderedChart.Namespace),
            (subject["kind"]!.GetValue<string>(), subject["name"]!.GetValue<string>(), subject["namespace"]!.GetValue<string>()));

        var rule = Assert.Single(chart.One("ClusterRole", MetricsReader)["rules"]!.AsArray())!;
        Assert.Equal(["/metrics"], OperatorDeploymentTests.Strings(rule["nonResourceURLs"]));
        Assert.Equal(["get"], OperatorDeploymentTests.Strings(rule["verbs"]));
        // The container port follows the metrics address, so a Service or PodMonitor can name it.
        var port = OperatorDeploymentTests.OperatorContainer(chart, RenderedChart.ReleaseName)["ports"]!.AsArray()
            .Single(p => p!["name"]!.GetValue<string>() == "metrics")!;
        Assert.Equal(8443L, port["containerPort"]!.GetValue<long>());
    }
}
