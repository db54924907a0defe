using k8s;
using NetworkOperator.Rendering;
using NetworkOperator.Runtime.Client;

namespace NetworkOperator.Controllers.Startup;

/// <summary>
/// OpenShift is recognised by its API group: listing <c>config.openshift.io/v1 clusterversions</c> succeeds there and
/// answers 404 elsewhere. Any other failure stops start-up rather than guessing (as upstream).
/// </summary>
public static class PlatformDetector
{
    public static async Task<ClusterType> DetectAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        try
        {
            using var response = await client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<object>("config.openshift.io", "v1",
                "clusterversions", limit: 1, cancellationToken: cancellationToken).ConfigureAwait(false);
            return ClusterType.OpenShift;
        }
        catch (Exception ex) when (ApiErrors.IsNotFound(ex))
        {
            return ClusterType.Kubernetes;
        }
    }
}
