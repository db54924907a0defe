using NetworkOperator.Chart.Tests.Infrastructure;

namespace NetworkOperator.Chart.Tests.Install;

/// <summary>
/// The single-command install (`nicClusterPolicy.enabled` with the webhook on): helm creates the chart's own policy in
/// the same install as the operator, before anything serves the webhook, which fails closed.
/// </summary>
[Trait("Category", "Slow")]
public class ChartPolicyInstallTests
{
    [Fact]
    public async Task The_charts_policy_installs_before_the_webhook_is_served_and_the_operator_then_makes_it_ready()
    {
        var install = await SimulatedInstall.InstallOnlyAsync("-f", Path.Combine(ChartWorkspace.Directory, "ci", "nic-cluster-policy-values.yaml"));
        try
        {
            // helm created the policy while no webhook answered: the objectSelector leaves the release's own objects out.
            var labels = await install.KubectlAsync("get", "nicclusterpolicy", "nic-cluster-policy", "-o", "jsonpath={.metadata.labels.app\\.kubernetes\\.io/instance}");
            Assert.Equal(SimulatedInstall.Release, labels.EnsureSuccess().StdOut.Trim());

            // Anyone else's object is refused meanwhile: the webhook is registered with failurePolicy Fail.
            var refused = await install.KubectlAsync("apply", "-f", RepositoryRoot.Combine("examples", "hostdevicenetwork.yaml"));
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("vhostdevicenetwork.kb.io", refused.StdErr, StringComparison.Ordinal);

            await install.StartOperatorAsync();
            await install.WaitForStateAsync("nicclusterpolicies", "nic-cluster-policy", "ready");

            // Once the operator serves the webhook, the same objects are admitted.
            (await install.KubectlAsync("apply", "-f", RepositoryRoot.Combine("examples", "hostdevicenetwork.yaml"))).EnsureSuccess();
        }
        finally
        {
            await install.DisposeAsync();
        }
    }
}
