using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using NetworkOperator.Api.Contract;

namespace NetworkOperator.Tools.Demo;

/// <summary>
/// One progress line of a headless run: elapsed time, nodes whose driver is ready (<c>mofed.wait=false</c>), the
/// policy's components ready, and the operator's writes so far.
/// </summary>
internal static class HeadlessProgress
{
    public static async Task<string> LineAsync(Kubernetes client, TimeSpan elapsed, long writes,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        // Only the names come back that matter; a label selector keeps the answer small at 10,000 nodes.
        var nodes = await client.CoreV1.ListNodeAsync(labelSelector: $"{Labels.NicPresent}=true", cancellationToken: cancellationToken);
        var driverReady = nodes.Items.Count(n => n.Metadata.Labels?.TryGetValue(Labels.MofedWait, out var v) == true && v == "false");
        var (ready, total) = await ComponentsAsync(client, cancellationToken);
        return string.Create(CultureInfo.InvariantCulture,
            $"progress {elapsed.TotalSeconds:F0} s: nodes with driver ready {driverReady}/{nodes.Items.Count}, components ready {ready}/{total}, operator writes {writes}");
    }

    private static async Task<(int Ready, int Total)> ComponentsAsync(Kubernetes client, CancellationToken cancellationToken)
    {
        try
        {
            var obj = await client.CustomObjects.GetClusterCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, "nicclusterpolicies",
                ApiGroup.NicClusterPolicyName, cancellationToken: cancellationToken);
            var states = (JsonNode.Parse(KubernetesJson.Serialize(obj))?["status"]?["appliedStates"] as JsonArray ?? [])
                .Select(s => s?["state"]?.GetValue<string>()).Where(s => s is not null and not "ignore").ToList();
            return (states.Count(s => s == "ready"), states.Count);
        }
        catch (k8s.Autorest.HttpOperationException)
        {
            return (0, 0);
        }
    }
}
