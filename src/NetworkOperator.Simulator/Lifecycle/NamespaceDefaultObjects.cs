using System.Text.Json.Nodes;
using NetworkOperator.Simulator.ApiServer;
using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Schema;
using NetworkOperator.Simulator.Serialization;

namespace NetworkOperator.Simulator.Lifecycle;

/// <summary>
/// What kube-controller-manager puts in every active namespace: the <c>default</c> ServiceAccount (serviceaccounts
/// controller) and the <c>kube-root-ca.crt</c> ConfigMap with the cluster's CA (root-ca-cert-publisher). Both are
/// recreated when deleted, and the ConfigMap's data is put back when changed (and its description when removed); a namespace being
/// deleted gets neither.
/// </summary>
internal static class NamespaceDefaultObjects
{
    public const string RootCaConfigMapName = "kube-root-ca.crt";
    public const string DescriptionAnnotation = "kubernetes.io/description";

    public const string Description =
        "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the " +
        "internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.";

    /// <summary>Whether a change to this object calls for another look at its namespace's defaults.</summary>
    public static bool Concerns(string storageKey, string name) =>
        (storageKey == "serviceaccounts" && name == Admission.ServiceAccountAdmission.DefaultName) ||
        (storageKey == "configmaps" && name == RootCaConfigMapName);

    public static async Task EnsureAsync(ResourceService service, string ns, string caPem, CancellationToken cancellationToken)
    {
        var namespaceType = service.Registry.Find("", "v1", "namespaces")!;
        if (service.TryGet(namespaceType, null, ns) is not { IsDeleting: false })
        {
            return;
        }

        var serviceAccounts = service.Registry.Find("", "v1", "serviceaccounts")!;
        if (service.TryGet(serviceAccounts, ns, Admission.ServiceAccountAdmission.DefaultName) is null)
        {
            await CreateUnlessExistsAsync(service, serviceAccounts, ns, new JsonObject
            {
                ["apiVersion"] = "v1", ["kind"] = "ServiceAccount",
                ["metadata"] = new JsonObject { ["name"] = Admission.ServiceAccountAdmission.DefaultName, ["namespace"] = ns },
            }, cancellationToken);
        }

        var configMaps = service.Registry.Find("", "v1", "configmaps")!;
        var current = service.TryGet(configMaps, ns, RootCaConfigMapName);
        if (current is null)
        {
            await CreateUnlessExistsAsync(service, configMaps, ns, new JsonObject
            {
                ["apiVersion"] = "v1", ["kind"] = "ConfigMap",
                ["metadata"] = new JsonObject
                {
                    ["name"] = RootCaConfigMapName, ["namespace"] = ns,
                    ["annotations"] = new JsonObject { [DescriptionAnnotation] = Description },
                },
                ["data"] = new JsonObject { ["ca.crt"] = caPem },
            }, cancellationToken);
            return;
        }

        var obj = current.ToJsonObject();
        var annotations = obj.Metadata()["annotations"] as JsonObject;
        var data = obj["data"] as JsonObject;
        if (data is { Count: 1 } && data.GetString("ca.crt") == caPem && !string.IsNullOrEmpty(annotations?.GetString(DescriptionAnnotation)))
        {
            return;
        }

        // Like the publisher: the data is replaced, the description set, everything else kept.
        obj["data"] = new JsonObject { ["ca.crt"] = caPem };
        annotations ??= [];
        annotations[DescriptionAnnotation] = Description;
        obj.Metadata()["annotations"] = annotations;
        await service.UpdateAsync(configMaps, ns, obj, cancellationToken: cancellationToken);
    }

    // Another pass (the start-up one, or a second event) may have created it a moment ago, which is as good.
    private static async Task CreateUnlessExistsAsync(ResourceService service, ResourceType type, string ns, JsonObject obj, CancellationToken cancellationToken)
    {
        try
        {
            await service.CreateAsync(type, ns, obj, cancellationToken: cancellationToken);
        }
        catch (ApiException e) when (e.Code == 409)
        {
        }
    }
}
