using NetworkOperator.Chart.Tests.Infrastructure;

namespace NetworkOperator.Chart.Tests;

[Trait("Category", "Slow")]
public class WebhookObjectsTests
{
    private const string ServiceName = RenderedChart.ReleaseName + "-webhook-service";
    private const string ConfigurationName = RenderedChart.ReleaseName + "-validating-webhook-configuration";

    private static readonly Dictionary<string, (string Path, string Resource)> ExpectedWebhooks = new()
    {
        ["vhostdevicenetwork.kb.io"] = ("/validate-mellanox-com-v1alpha1-hostdevicenetwork", "hostdevicenetworks"),
        ["vnicclusterpolicy.kb.io"] = ("/validate-mellanox-com-v1alpha1-nicclusterpolicy", "nicclusterpolicies"),
        ["vnicnodepolicy.kb.io"] = ("/validate-mellanox-com-v1alpha1-nicnodepolicy", "nicnodepolicies"),
        ["vmacvlannetwork.kb.io"] = ("/validate-mellanox-com-v1alpha1-macvlannetwork", "macvlannetworks"),
        ["vipoibnetwork.kb.io"] = ("/validate-mellanox-com-v1alpha1-ipoibnetwork", "ipoibnetworks"),
    };

    [Fact]
    public async Task Webhook_objects_are_absent_by_default()
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync("default-values.yaml");
        Assert.False(chart.Has("ValidatingWebhookConfiguration"));
        Assert.False(chart.Has("Service"));
        Assert.False(chart.Has("Certificate"));
        Assert.False(chart.Has("Issuer"));
        Assert.False(chart.Has("Secret"));
    }

    [Theory]
    [InlineData("webhook-cert-manager-values.yaml")]
    [InlineData("webhook-self-signed-values.yaml")]
    [InlineData("webhook-own-cert-values.yaml")]
    public async Task Webhooks_use_the_upstream_paths_and_names_fail_closed_and_cover_only_our_crds(string valuesFile)
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync(valuesFile);
        var configuration = chart.One("ValidatingWebhookConfiguration", ConfigurationName);
        var webhooks = configuration["webhooks"]!.AsArray().Select(w => w!).ToList();

        Assert.Equal(ExpectedWebhooks.Keys.Order(StringComparer.Ordinal), webhooks.Select(w => w["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        foreach (var webhook in webhooks)
        {
            var (path, resource) = ExpectedWebhooks[webhook["name"]!.GetValue<string>()];
            Assert.Equal("Fail", webhook["failurePolicy"]!.GetValue<string>());
            Assert.Equal("None", webhook["sideEffects"]!.GetValue<string>());
            Assert.Equal(["v1"], OperatorDeploymentTests.Strings(webhook["admissionReviewVersions"]));
            var service = webhook["clientConfig"]!["service"]!;
            Assert.Equal(ServiceName, service["name"]!.GetValue<string>());
            Assert.Equal(RenderedChart.Namespace, service["namespace"]!.GetValue<string>());
            Assert.Equal(path, service["path"]!.GetValue<string>());
            var rule = Assert.Single(webhook["rules"]!.AsArray())!;
            Assert.Equal(["mellanox.com"], OperatorDeploymentTests.Strings(rule["apiGroups"]));
            Assert.Equal(["v1alpha1"], OperatorDeploymentTests.Strings(rule["apiVersions"]));
            Assert.Equal([resource], OperatorDeploymentTests.Strings(rule["resources"]));
            // Delete is always allowed, so it is not even sent.
            Assert.Equal(["CREATE", "UPDATE"], OperatorDeploymentTests.Strings(rule["operations"]));
        }

        // The Service reaches the operator pod's webhook port.
        var svc = chart.One("Service", ServiceName);
        Assert.Equal(9443, svc["spec"]!["ports"]![0]!["targetPort"]!.GetValue<long>());
        var podLabels = chart.One("Deployment")["spec"]!["template"]!["metadata"]!["labels"]!;
        foreach (var (key, value) in svc["spec"]!["selector"]!.AsObject())
        {
            Assert.Equal(value!.GetValue<string>(), podLabels[key]!.GetValue<string>());
        }

        var container = OperatorDeploymentTests.OperatorContainer(chart, RenderedChart.ReleaseName);
        var env = OperatorDeploymentTests.Env(container);
        Assert.Equal("true", env["ENABLE_WEBHOOKS"]);
        Assert.Equal("9443", env["WEBHOOK_PORT"]);
        Assert.Equal("/tmp/k8s-webhook-server/serving-certs", env["WEBHOOK_CERT_DIR"]);
        Assert.Equal(ServiceName, env["WEBHOOK_SERVICE_NAME"]);
        Assert.Equal(ConfigurationName, env["WEBHOOK_CONFIGURATION_NAME"]);
        Assert.Contains(container["ports"]!.AsArray(), p => p!["containerPort"]!.GetValue<long>() == 9443);
    }

    [Fact]
    public async Task Cert_manager_mode_renders_issuer_and_certificate_and_lets_cert_manager_inject_the_ca()
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync("webhook-cert-manager-values.yaml");
        var certificate = chart.One("Certificate");
        Assert.Equal(RenderedChart.ReleaseName + "-serving-cert", RenderedChart.Name(certificate));
        Assert.Equal(RenderedChart.ReleaseName + "-selfsigned-issuer", RenderedChart.Name(chart.One("Issuer")));
        Assert.Equal("webhook-server-cert", certificate["spec"]!["secretName"]!.GetValue<string>());
        Assert.Contains($"{ServiceName}.{RenderedChart.Namespace}.svc", OperatorDeploymentTests.Strings(certificate["spec"]!["dnsNames"]));
        Assert.Equal(RenderedChart.Name(chart.One("Issuer")), certificate["spec"]!["issuerRef"]!["name"]!.GetValue<string>());

        var configuration = chart.One("ValidatingWebhookConfiguration");
        Assert.Equal($"{RenderedChart.Namespace}/{RenderedChart.Name(certificate)}", RenderedChart.Annotation(configuration, "cert-manager.io/inject-ca-from"));
        Assert.All(configuration["webhooks"]!.AsArray(), w => Assert.Null(w!["clientConfig"]!["caBundle"]));
        AssertCertificateMountedFromSecret(chart, mounted: true);
    }

    [Fact]
    public async Task Self_signed_mode_leaves_the_ca_bundle_to_the_operator()
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync("webhook-self-signed-values.yaml");
        Assert.False(chart.Has("Certificate"));
        Assert.False(chart.Has("Issuer"));
        Assert.False(chart.Has("Secret"));
        var configuration = chart.One("ValidatingWebhookConfiguration");
        Assert.Null(RenderedChart.Annotation(configuration, "cert-manager.io/inject-ca-from"));
        Assert.All(configuration["webhooks"]!.AsArray(), w => Assert.Null(w!["clientConfig"]!["caBundle"]));
        AssertCertificateMountedFromSecret(chart, mounted: false);
        Assert.Equal("true", OperatorDeploymentTests.Env(OperatorDeploymentTests.OperatorContainer(chart, RenderedChart.ReleaseName))["SKIP_VALIDATIONS"]);
        // The operator patches the CA bundle into its webhook configuration, so it must be allowed to.
        Assert.True(Rbac.RbacRequirements.Load().Allows("admissionregistration.k8s.io", "validatingwebhookconfigurations", "patch", inOperatorNamespace: false));
    }

    [Fact]
    public async Task Own_certificate_mode_renders_the_secret_and_the_ca_bundle()
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync("webhook-own-cert-values.yaml");
        var secret = chart.One("Secret", "webhook-server-cert");
        Assert.Equal("kubernetes.io/tls", secret["type"]!.GetValue<string>());
        var tlsCrt = Convert.FromBase64String(secret["data"]!["tls.crt"]!.GetValue<string>());
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", System.Text.Encoding.ASCII.GetString(tlsCrt), StringComparison.Ordinal);

        var caBundles = chart.One("ValidatingWebhookConfiguration")["webhooks"]!.AsArray()
            .Select(w => w!["clientConfig"]!["caBundle"]!.GetValue<string>()).Distinct().ToList();
        var ca = System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(Assert.Single(caBundles)));
        Assert.Contains("MIIC", ca, StringComparison.Ordinal);
        AssertCertificateMountedFromSecret(chart, mounted: true);
    }

    [Fact]
    public async Task Bind_addresses_of_webhook_metrics_and_probes_come_from_values()
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync("webhook-self-signed-values.yaml",
            "--set", "operator.metricsBindAddress=127.0.0.1:8080", "--set", "operator.healthProbeBindAddress=:8081",
            "--set", "operator.admissionController.bindAddress=0.0.0.0");
        var args = OperatorDeploymentTests.Strings(OperatorDeploymentTests.OperatorContainer(chart, RenderedChart.ReleaseName)["args"]);

        Assert.Contains("--metrics-bind-address=127.0.0.1:8080", args);
        Assert.Contains("--health-probe-bind-address=:8081", args);
        Assert.Contains("--webhook-bind-address=0.0.0.0", args);
    }

    [Fact]
    public async Task Probes_and_the_health_port_follow_the_health_probe_bind_address()
    {
        var moved = OperatorDeploymentTests.OperatorContainer(
            await RenderedChart.RenderWithValuesFileAsync("default-values.yaml", "--set", "operator.healthProbeBindAddress=:9091"), RenderedChart.ReleaseName);
        Assert.Equal(9091, moved["livenessProbe"]!["httpGet"]!["port"]!.GetValue<long>());
        Assert.Equal(9091, moved["readinessProbe"]!["httpGet"]!["port"]!.GetValue<long>());
        Assert.Contains(moved["ports"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "health" && p["containerPort"]!.GetValue<long>() == 9091);

        // Off: no endpoint, so no probes that would kill the pod.
        var off = OperatorDeploymentTests.OperatorContainer(
            await RenderedChart.RenderWithValuesFileAsync("default-values.yaml", "--set", "operator.healthProbeBindAddress=0"), RenderedChart.ReleaseName);
        Assert.Null(off["livenessProbe"]);
        Assert.Null(off["readinessProbe"]);
        Assert.DoesNotContain(off["ports"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "health");

        // Loopback: the kubelet could never reach it, so the chart refuses instead of a pod that is restarted forever.
        var loopback = await Helm.RunAsync("template", "x", ChartWorkspace.Directory, "--kube-version", "1.32.0",
            "--set", "nfd.enabled=false", "--set", "operator.healthProbeBindAddress=127.0.0.1:8081");
        Assert.NotEqual(0, loopback.ExitCode);
        Assert.Contains("operator.healthProbeBindAddress \"127.0.0.1:8081\" listens on loopback only", loopback.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_own_certificate_without_key_fails_with_a_clear_message()
    {
        var result = await Helm.RunAsync("template", "x", ChartWorkspace.Directory, "--kube-version", "1.32.0",
            "--set", "nfd.enabled=false", "--set", "operator.admissionController.enabled=true",
            "--set", "operator.admissionController.certificate.tlsCrt=abc");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("operator.admissionController.certificate: tlsCrt needs tlsKey and caCrt too", result.Output, StringComparison.Ordinal);
    }

    private static void AssertCertificateMountedFromSecret(RenderedChart chart, bool mounted)
    {
        var podSpec = chart.One("Deployment")["spec"]!["template"]!["spec"]!;
        var volumes = podSpec["volumes"]!.AsArray().Select(v => v!).ToList();
        var secretVolume = volumes.SingleOrDefault(v => v["secret"]?["secretName"]?.GetValue<string>() == "webhook-server-cert");
        var mounts = OperatorDeploymentTests.OperatorContainer(chart, RenderedChart.ReleaseName)["volumeMounts"]!.AsArray();
        var certMount = mounts.SingleOrDefault(m => m!["mountPath"]!.GetValue<string>() == "/tmp/k8s-webhook-server/serving-certs");
        if (mounted)
        {
            Assert.NotNull(secretVolume);
            Assert.Equal(secretVolume["name"]!.GetValue<string>(), certMount!["name"]!.GetValue<string>());

            // The private key is readable by owner and group only (0440); the pod's fsGroup owns the files.
            Assert.Equal(Convert.ToInt64("440", 8), secretVolume["secret"]!["defaultMode"]!.GetValue<long>());
            Assert.Equal(65532L, podSpec["securityContext"]!["fsGroup"]!.GetValue<long>());
        }
        else
        {
            Assert.Null(secretVolume);
            Assert.Null(certMount);
            // The generated certificate goes to a writable scratch /tmp (the root filesystem is read-only).
            Assert.Contains(mounts, m => m!["mountPath"]!.GetValue<string>() == "/tmp");
        }
    }
}
