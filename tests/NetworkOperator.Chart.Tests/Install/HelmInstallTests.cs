using System.Text;
using k8s;
using NetworkOperator.Chart.Tests.Infrastructure;

namespace NetworkOperator.Chart.Tests.Install;

/// <summary>
/// `helm install` of the chart into the simulated cluster, the operator started with the rendered Deployment's
/// command line, a policy reconciled to ready, and the chart's webhook registration rejecting an invalid policy.
/// </summary>
[Trait("Category", "Slow")]
[Collection(SimulatedInstallGroup.Name)]
public class HelmInstallTests(SimulatedInstall install)
{
    /// <summary>
    /// A real server drops a field a kind lacks and says so only in a Warning header; the operator logs those. Over
    /// the whole run (every component of the full example, the networks, the driver upgrade) there must be none: a
    /// rendered field that a Kubernetes 1.32 cluster would silently drop is a bug.
    /// </summary>
    [Fact]
    public async Task The_api_server_has_no_warning_for_anything_the_operator_writes()
    {
        await install.ReconciledAsync();
        Assert.Empty(install.ApiWarnings);
    }

    [Fact]
    public async Task The_installed_operator_reconciles_the_example_policy_and_its_webhook_rejects_an_invalid_one()
    {
        Assert.Contains("STATUS: deployed", install.InstallResult.StdOut, StringComparison.Ordinal);

        // The CRD upgrade hook ran before the install, as its own ServiceAccount, and helm deleted it after it succeeded.
        // The release name is the chart name, so the chart's full name is the release name.
        var hook = "network-operator-upgrade-crd";
        var hookServiceAccount = $"{SimulatedInstall.Release}-hooks-sa";
        var hookUser = $"system:serviceaccount:{SimulatedInstall.Namespace}:{hookServiceAccount}";
        Assert.Equal([$"{hookUser} crds --apply"], install.ContainersRun.Where(r => r.StartsWith(hookUser, StringComparison.Ordinal)));
        var hookRequests = install.Cluster.Server.Audit.ByUser(hookUser);
        // helm installed crds/ first, so the hook finds every CRD current and only reads them.
        Assert.True(hookRequests.Any(r => r.Resource == "customresourcedefinitions"),
            $"the hook did not reach the CRDs; its requests: {string.Join(", ", hookRequests)}");
        var leftovers = await install.KubectlAsync("get", "jobs,serviceaccounts", "--namespace", SimulatedInstall.Namespace, "-o", "name");
        Assert.DoesNotContain(hook, leftovers.EnsureSuccess().StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain(hookServiceAccount, leftovers.StdOut, StringComparison.Ordinal);
        var list = await Helm.RunAsync(["list", "--namespace", SimulatedInstall.Namespace, "--kubeconfig", install.KubeconfigPath, "-o", "json"]);
        Assert.Contains("\"status\":\"deployed\"", list.EnsureSuccess().StdOut, StringComparison.Ordinal);

        await install.ReconciledAsync();
        Assert.Equal("ready", await install.StateAsync("nicclusterpolicies", "nic-cluster-policy"));

        // The operator patched its generated CA into the chart's webhook configuration.
        var configurationName = RenderedChart.Name(Assert.Single(install.ManifestOfKind("ValidatingWebhookConfiguration")));
        var configuration = await install.Client.AdmissionregistrationV1.ReadValidatingWebhookConfigurationAsync(configurationName);
        Assert.All(configuration.Webhooks, w =>
            Assert.StartsWith("-----BEGIN CERTIFICATE-----", Encoding.UTF8.GetString(w.ClientConfig.CaBundle ?? []), StringComparison.Ordinal));

        var versionBefore = (await install.KubectlAsync("get", "nicclusterpolicy", "nic-cluster-policy", "-o", "jsonpath={.spec.ofedDriver.version}")).EnsureSuccess().StdOut.Trim();
        Assert.StartsWith("doca", versionBefore, StringComparison.Ordinal);

        // An update that passes the CRD schema but not the validation library: only the webhook can refuse it.
        var invalid = install.WriteFile("invalid-policy.yaml", """
            apiVersion: mellanox.com/v1alpha1
            kind: NicClusterPolicy
            metadata:
              name: nic-cluster-policy
            spec:
              ofedDriver:
                image: doca-driver
                repository: nvcr.io/nvidia/mellanox
                version: latest-and-greatest
            """);
        var rejected = await install.KubectlAsync("apply", "--server-side", "--force-conflicts", "-f", invalid);
        Assert.NotEqual(0, rejected.ExitCode);
        Assert.Contains("admission webhook \"vnicclusterpolicy.kb.io\" denied the request", rejected.StdErr, StringComparison.Ordinal);
        Assert.Contains("spec.ofedDriver.version", rejected.StdErr, StringComparison.Ordinal);
        // Nothing half-applied: the stored policy keeps its driver version and stays ready.
        var policy = (await install.KubectlAsync("get", "nicclusterpolicy", "nic-cluster-policy", "-o", "jsonpath={.spec.ofedDriver.version}")).EnsureSuccess();
        Assert.Equal(versionBefore, policy.StdOut.Trim());
        Assert.Equal("ready", await install.StateAsync("nicclusterpolicies", "nic-cluster-policy"));

        // A new invalid network is refused as well, with its own webhook and field path.
        var badNetwork = install.WriteFile("invalid-network.yaml", """
            apiVersion: mellanox.com/v1alpha1
            kind: HostDeviceNetwork
            metadata:
              name: bad-hostdev
            spec:
              networkNamespace: default
              resourceName: hostdev
              ipam: '{"type": "whereabouts", "range": "not-a-cidr"'
            """);
        var refusedNetwork = await install.KubectlAsync("apply", "-f", badNetwork);
        Assert.NotEqual(0, refusedNetwork.ExitCode);
        Assert.Contains("admission webhook \"vhostdevicenetwork.kb.io\" denied the request", refusedNetwork.StdErr, StringComparison.Ordinal);
        Assert.Contains("spec.ipam", refusedNetwork.StdErr, StringComparison.Ordinal);

        await UpgradeChangesTheOperatorDeploymentAsync();
        await UninstallKeepsTheCustomResourcesAndWhatTheyDeployedAsync(configurationName);
    }

    // helm upgrade over the live release: a second release record (an update of helm's protobuf Secrets), server-side
    // apply of changed objects, and a rollout of the operator Deployment that --wait=watcher waits for.
    private async Task UpgradeChangesTheOperatorDeploymentAsync()
    {
        var upgrade = await Helm.RunAsync(["upgrade", SimulatedInstall.Release, ChartWorkspace.Directory, "--namespace", SimulatedInstall.Namespace,
            "--kubeconfig", install.KubeconfigPath, "--reuse-values", "--set", "operator.admissionController.skipValidations=true",
            "--wait=watcher", "--timeout", "100s"]);
        Assert.Contains("has been upgraded", upgrade.EnsureSuccess().StdOut, StringComparison.Ordinal);
        var history = await Helm.RunAsync(["history", SimulatedInstall.Release, "--namespace", SimulatedInstall.Namespace, "--kubeconfig", install.KubeconfigPath, "-o", "json"]);
        Assert.Equal(2, System.Text.Json.Nodes.JsonNode.Parse(history.EnsureSuccess().StdOut)!.AsArray().Count);

        var deployment = RenderedChart.Name(Assert.Single(install.ManifestOfKind("Deployment")));
        var skip = await install.KubectlAsync("get", "deployment", deployment, "--namespace", SimulatedInstall.Namespace, "-o",
            "jsonpath={.spec.template.spec.containers[0].env[?(@.name==\"SKIP_VALIDATIONS\")].value}");
        Assert.Equal("true", skip.EnsureSuccess().StdOut.Trim());
    }

    // docs/install.md, "Uninstall": helm removes its own objects; CRDs, CRs and the components they deployed stay.
    private async Task UninstallKeepsTheCustomResourcesAndWhatTheyDeployedAsync(string webhookConfiguration)
    {
        var uninstall = await Helm.RunAsync(["uninstall", SimulatedInstall.Release, "--namespace", SimulatedInstall.Namespace, "--kubeconfig", install.KubeconfigPath]);
        Assert.Contains("uninstalled", uninstall.EnsureSuccess().StdOut, StringComparison.Ordinal);
        var status = await Helm.RunAsync(["status", SimulatedInstall.Release, "--namespace", SimulatedInstall.Namespace, "--kubeconfig", install.KubeconfigPath]);
        Assert.NotEqual(0, status.ExitCode);
        Assert.Contains("not found", status.StdErr, StringComparison.Ordinal);
        // helm's release records (Secrets written as protobuf) were deleted (with a protobuf DeleteOptions body).
        var records = await install.KubectlAsync("get", "secrets", "--namespace", SimulatedInstall.Namespace, "-l", "owner=helm", "-o", "name");
        Assert.Equal(string.Empty, records.EnsureSuccess().StdOut.Trim());

        var deployment = RenderedChart.Name(Assert.Single(install.ManifestOfKind("Deployment")));
        foreach (var gone in new[]
        {
            $"deployment/{deployment}", $"serviceaccount/{deployment}", $"clusterrole/{deployment}", $"role/{deployment}",
            $"validatingwebhookconfiguration/{webhookConfiguration}",
        })
        {
            var get = await install.KubectlAsync("get", gone, "--namespace", SimulatedInstall.Namespace, "--ignore-not-found", "-o", "name");
            Assert.True(get.EnsureSuccess().StdOut.Trim().Length == 0, $"{gone} should be deleted by helm uninstall");
        }

        (await install.KubectlAsync("get", "crd", "nicclusterpolicies.mellanox.com")).EnsureSuccess();
        (await install.KubectlAsync("get", "nicclusterpolicy", "nic-cluster-policy")).EnsureSuccess();
        var daemonSets = await install.KubectlAsync("get", "daemonsets", "--namespace", SimulatedInstall.Namespace, "-o", "name");
        Assert.Contains("daemonset.apps/kube-multus-ds", daemonSets.EnsureSuccess().StdOut, StringComparison.Ordinal);
    }
}
