using NetworkOperator.Api.Components;
using NetworkOperator.Controllers.Hosting;
using Prometheus;

namespace NetworkOperator.Controllers.Tests.Metrics;

public sealed class ComponentMetricsTests
{
    [Fact]
    public async Task A_deleted_policy_leaves_no_readiness_series_behind_while_others_stay()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var metrics = new ComponentMetrics(registry);
        metrics.Component("NicClusterPolicy", "nic-cluster-policy", "state-OFED", true);
        metrics.Component("NicClusterPolicy", "nic-cluster-policy", "state-multus-cni", false);
        metrics.Resource("NicClusterPolicy", "nic-cluster-policy", false);
        metrics.Component("NicNodePolicy", "gpu-nodes", "state-OFED", true);
        metrics.Resource("NicNodePolicy", "gpu-nodes", true);

        metrics.Forget("NicClusterPolicy", "nic-cluster-policy", [ComponentCatalog.Ofed, ComponentCatalog.MultusCni, ComponentCatalog.RdmaDevicePlugin]);

        var text = await ExportAsync(registry);
        Assert.DoesNotContain("policy=\"nic-cluster-policy\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"nic-cluster-policy\"", text, StringComparison.Ordinal);
        Assert.Contains("network_operator_component_ready{kind=\"NicNodePolicy\",policy=\"gpu-nodes\",state=\"state-OFED\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("network_operator_policy_ready{kind=\"NicNodePolicy\",name=\"gpu-nodes\"} 1", text, StringComparison.Ordinal);
    }

    private static async Task<string> ExportAsync(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
