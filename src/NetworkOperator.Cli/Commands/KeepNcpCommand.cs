using System.CommandLine;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using NetworkOperator.Runtime.Client;

namespace NetworkOperator.Cli.Commands;

/// <summary>
/// <c>keep-ncp</c>: the chart's keep-ncp hook (value <c>keepNCP</c>). A NicClusterPolicy <c>nic-cluster-policy</c> that
/// Helm manages gets <c>helm.sh/resource-policy: keep</c>, so a chart upgrade that stops rendering it (as upstream's
/// charts did after they stopped deploying the policy from values) does not delete it and with it every driver.
/// </summary>
internal sealed class KeepNcpCommand : ICliCommand
{
    public const string PolicyName = "nic-cluster-policy";
    public const string ResourcePolicyAnnotation = "helm.sh/resource-policy";
    private const string ManagedByLabel = "app.kubernetes.io/managed-by";

    public int Order => 810;

    public Command Build()
    {
        var kubeconfig = new Option<FileInfo?>("--kubeconfig")
        {
            Description = "Kubeconfig to use instead of KUBECONFIG, the in-cluster service account or ~/.kube/config.",
        };
        var command = new Command("keep-ncp", $"Annotate a Helm-managed NicClusterPolicy {PolicyName} with {ResourcePolicyAnnotation}: keep " +
                                              "(the chart's keepNCP hook), so a chart upgrade never deletes it.")
        {
            kubeconfig,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var client = new Kubernetes(RunCommand.Connect(parseResult.GetValue(kubeconfig)));
            try
            {
                Console.Out.WriteLine(await KeepAsync(client, cancellationToken));
                return 0;
            }
            catch (Exception ex) when (ex is HttpOperationException or HttpRequestException)
            {
                var detail = ex is HttpOperationException http ? $"{(int)http.Response.StatusCode} {http.Response.ReasonPhrase}: {http.Response.Content}" : ex.Message;
                throw new UserErrorException($"keep-ncp: cannot read or annotate NicClusterPolicy {PolicyName}: {detail}", ex);
            }
        });
        return command;
    }

    /// <summary>Annotates the policy when Helm manages it; returns what was done, for the Job's log.</summary>
    internal static async Task<string> KeepAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        JsonElement policy;
        try
        {
            policy = await client.CustomObjects.GetClusterCustomObjectAsync<JsonElement>("mellanox.com", "v1alpha1", "nicclusterpolicies", PolicyName,
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ApiErrors.IsNotFound(ex))
        {
            // Also the answer when the CRD does not exist yet (first install).
            return $"NicClusterPolicy {PolicyName} not found: nothing to keep";
        }

        var metadata = policy.TryGetProperty("metadata", out var m) ? m : default;
        if (Lookup(metadata, "labels", ManagedByLabel) != "Helm")
        {
            return $"NicClusterPolicy {PolicyName} is not managed by Helm: left unchanged";
        }

        if (Lookup(metadata, "annotations", ResourcePolicyAnnotation) == "keep")
        {
            return $"NicClusterPolicy {PolicyName} already has {ResourcePolicyAnnotation}: keep";
        }

        var patch = new V1Patch("{\"metadata\":{\"annotations\":{\"" + ResourcePolicyAnnotation + "\":\"keep\"}}}", V1Patch.PatchType.MergePatch);
        await client.CustomObjects.PatchClusterCustomObjectAsync(patch, "mellanox.com", "v1alpha1", "nicclusterpolicies", PolicyName,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        return $"NicClusterPolicy {PolicyName} annotated {ResourcePolicyAnnotation}: keep";
    }

    private static string? Lookup(JsonElement metadata, string map, string key) =>
        metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty(map, out var entries) && entries.ValueKind == JsonValueKind.Object
        && entries.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
