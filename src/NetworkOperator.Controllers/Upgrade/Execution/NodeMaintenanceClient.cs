using System.Text.Json.Nodes;
using k8s;
using Microsoft.Extensions.Logging;
using NetworkOperator.Runtime.Client;

namespace NetworkOperator.Controllers.Upgrade;

/// <summary>
/// Performs the NodeMaintenance actions of requestor mode (rows M1–M3 of the transition table in docs/driver-upgrade.md) through the custom-objects API
/// (<c>maintenance.nvidia.com/v1alpha1</c>), so the operator needs no compiled type of another project's CRD.
/// Conflicts and missing objects are left for the next pass, which decides again from what it then sees.
/// </summary>
internal static class NodeMaintenanceClient
{
    public static async Task ExecuteAsync(IKubernetes client, UpgradeAction action, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            switch (action)
            {
                case CreateNodeMaintenance create:
                    await client.CustomObjects.CreateNamespacedCustomObjectAsync(Body(create), NodeMaintenanceInfo.Group, NodeMaintenanceInfo.Version,
                        create.Namespace, NodeMaintenanceInfo.Plural, cancellationToken: cancellationToken).ConfigureAwait(false);
                    break;
                case AddNodeMaintenanceRequestor add:
                    await SetRequestorsAsync(client, add.Namespace, add.Name, add.ResourceVersion, r => r.Contains(add.RequestorId) ? r : [.. r, add.RequestorId],
                        cancellationToken).ConfigureAwait(false);
                    break;
                case RemoveNodeMaintenanceRequestor remove:
                    await SetRequestorsAsync(client, remove.Namespace, remove.Name, remove.ResourceVersion, r => [.. r.Where(x => x != remove.RequestorId)],
                        cancellationToken).ConfigureAwait(false);
                    break;
                case DeleteNodeMaintenance delete:
                    await client.CustomObjects.DeleteNamespacedCustomObjectAsync(NodeMaintenanceInfo.Group, NodeMaintenanceInfo.Version, delete.Namespace,
                        NodeMaintenanceInfo.Plural, delete.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception ex) when (ApiErrors.IsNotFound(ex) || ApiErrors.IsConflict(ex))
        {
            // Already there (create), already gone (delete), or changed meanwhile (requestors): the next pass looks again.
            var message = $"NodeMaintenance {action}: {ex.Message}";
            UpgradeLog.Maintenance(logger, message);
        }
    }

    /// <summary>The object the maintenance operator acts on: cordon, optionally wait for pods, drain as the policy says.</summary>
    public static JsonObject Body(CreateNodeMaintenance create)
    {
        ArgumentNullException.ThrowIfNull(create);
        var spec = new JsonObject
        {
            ["requestorID"] = create.RequestorId,
            ["nodeName"] = create.Node,
            ["cordon"] = true,
            ["drainSpec"] = create.Drain is { } drain
                ? new JsonObject
                {
                    ["force"] = drain.Force,
                    ["podSelector"] = drain.PodSelector,
                    ["timeoutSeconds"] = (int)drain.Timeout.TotalSeconds,
                    ["deleteEmptyDir"] = drain.DeleteEmptyDir,
                }
                : new JsonObject(),
        };
        if (create.WaitForCompletion is { } wait)
        {
            spec["waitForPodCompletion"] = new JsonObject { ["podSelector"] = wait.PodSelector, ["timeoutSeconds"] = (int)wait.Timeout.TotalSeconds };
        }

        return new JsonObject
        {
            ["apiVersion"] = $"{NodeMaintenanceInfo.Group}/{NodeMaintenanceInfo.Version}",
            ["kind"] = NodeMaintenanceInfo.Kind,
            ["metadata"] = new JsonObject { ["name"] = create.Name, ["namespace"] = create.Namespace },
            ["spec"] = spec,
        };
    }

    // A merge patch carrying the resourceVersion it was decided on: the server refuses it if the object changed since.
    private static async Task SetRequestorsAsync(IKubernetes client, string ns, string name, string? resourceVersion,
        Func<IReadOnlyList<string>, IReadOnlyList<string>> change, CancellationToken cancellationToken)
    {
        var current = JsonNode.Parse(KubernetesJson.Serialize(await client.CustomObjects.GetNamespacedCustomObjectAsync(NodeMaintenanceInfo.Group,
            NodeMaintenanceInfo.Version, ns, NodeMaintenanceInfo.Plural, name, cancellationToken).ConfigureAwait(false)))!.AsObject();
        var info = NodeMaintenanceInfo.FromJson(current);
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion ?? info.ResourceVersion },
            ["spec"] = new JsonObject { ["additionalRequestors"] = new JsonArray([.. change(info.AdditionalRequestors).Select(r => (JsonNode)r)]) },
        };
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(new k8s.Models.V1Patch(patch.ToJsonString(), k8s.Models.V1Patch.PatchType.MergePatch),
            NodeMaintenanceInfo.Group, NodeMaintenanceInfo.Version, ns, NodeMaintenanceInfo.Plural, name, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
    }
}
