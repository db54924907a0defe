using System.Text.Json.Nodes;
using NetworkOperator.Tests.Shared;
using k8s;
using k8s.Models;
using NetworkOperator.Api.Contract;
using NetworkOperator.Controllers.Tests.Integration;

namespace NetworkOperator.Controllers.Tests.Repair;

/// <summary>
/// One simulated cluster with a running operator that has written at least one object of every kind it writes, for
/// the repair tests to delete and tamper with. <see cref="OpenShift"/> decides the platform: on Kubernetes (with
/// cert-manager's CRDs installed) nv-ipam's webhook brings Issuer and Certificate; on OpenShift the states add their
/// SecurityContextConstraints Roles and RoleBindings.
/// </summary>
public abstract class RepairFixture : IAsyncLifetime
{
    private const string Policy = """
        apiVersion: mellanox.com/v1alpha1
        kind: NicClusterPolicy
        metadata:
          name: nic-cluster-policy
        spec:
          secondaryNetwork:
            multus:
              image: multus-cni
              repository: ghcr.io/k8snetworkplumbingwg
              version: v4.1.0
          nvIpam:
            image: nvidia-k8s-ipam
            repository: ghcr.io/mellanox
            version: v0.3.7
            enableWebhook: true
          nicFeatureDiscovery:
            image: nic-feature-discovery
            repository: ghcr.io/mellanox
            version: v0.0.1
          nicConfigurationOperator:
            operator:
              image: nic-configuration-operator
              repository: ghcr.io/mellanox
              version: v0.1.0
            configurationDaemon:
              image: nic-configuration-operator-daemon
              repository: ghcr.io/mellanox
              version: v0.1.0
            nicFirmwareStorage:
              create: true
              pvcName: nic-fw-storage-pvc
              storageClassName: shared-nfs
              availableStorageSize: 2Gi
        ---
        apiVersion: mellanox.com/v1alpha1
        kind: MacvlanNetwork
        metadata:
          name: repair-macvlan
        spec:
          networkNamespace: default
          master: ens2f0
          mode: bridge
          mtu: 1500
          ipam: '{"type": "whereabouts", "range": "192.168.2.0/24"}'
        """;

    private OperatorFixture? _fx;

    protected abstract bool OpenShift { get; }

    internal OperatorFixture Fx => _fx ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _fx = await OperatorFixture.StartAsync(startOperator: false);
        if (OpenShift)
        {
            await InstallCrdAsync("config.openshift.io", "clusterversions", "ClusterVersion", "Cluster");
        }
        else
        {
            await InstallCrdAsync("cert-manager.io", "issuers", "Issuer", "Namespaced");
            await InstallCrdAsync("cert-manager.io", "certificates", "Certificate", "Namespaced");
        }

        await Fx.StartOperatorAsync();
        await Fx.AddNodeAsync(TestNodes.Joined("worker-1"));
        await Fx.ApplyYamlAsync(Policy);
    }

    /// <summary>The objects of one kind that the operator wrote (they carry the state label), by name.</summary>
    internal async Task<List<JsonObject>> OwnedAsync(OwnedKind kind)
    {
        var list = await Fx.Client.CustomObjects.ListClusterCustomObjectAsync(kind.Group, kind.Version, kind.Plural, labelSelector: Labels.State);
        var json = JsonNode.Parse(KubernetesJson.Serialize(list))!;
        return [.. json["items"]!.AsArray().Select(i => i!.AsObject())
            .Where(i => i["metadata"]?["ownerReferences"] is JsonArray refs && refs.Any(r => r?["controller"]?.GetValue<bool>() == true))
            .OrderBy(i => i["metadata"]!["namespace"]?.GetValue<string>(), StringComparer.Ordinal)
            .ThenBy(i => i["metadata"]!["name"]!.GetValue<string>(), StringComparer.Ordinal)];
    }

    internal async Task<JsonObject?> GetAsync(OwnedKind kind, string? @namespace, string name)
    {
        try
        {
            var obj = kind.Namespaced
                ? await Fx.Client.CustomObjects.GetNamespacedCustomObjectAsync(kind.Group, kind.Version, @namespace!, kind.Plural, name)
                : await Fx.Client.CustomObjects.GetClusterCustomObjectAsync(kind.Group, kind.Version, kind.Plural, name);
            return JsonNode.Parse(KubernetesJson.Serialize(obj))!.AsObject();
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    internal async Task DeleteAsync(OwnedKind kind, string? @namespace, string name)
    {
        if (kind.Namespaced)
        {
            await Fx.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(kind.Group, kind.Version, @namespace!, kind.Plural, name);
        }
        else
        {
            await Fx.Client.CustomObjects.DeleteClusterCustomObjectAsync(kind.Group, kind.Version, kind.Plural, name);
        }
    }

    internal async Task JsonPatchAsync(OwnedKind kind, string? @namespace, string name, string patch)
    {
        var body = new V1Patch(patch, V1Patch.PatchType.JsonPatch);
        if (kind.Namespaced)
        {
            await Fx.Client.CustomObjects.PatchNamespacedCustomObjectAsync(body, kind.Group, kind.Version, @namespace!, kind.Plural, name);
        }
        else
        {
            await Fx.Client.CustomObjects.PatchClusterCustomObjectAsync(body, kind.Group, kind.Version, kind.Plural, name);
        }
    }

    private async Task InstallCrdAsync(string group, string plural, string kind, string scope)
    {
        var crd = new V1CustomResourceDefinition
        {
            ApiVersion = "apiextensions.k8s.io/v1",
            Kind = "CustomResourceDefinition",
            Metadata = new V1ObjectMeta { Name = $"{plural}.{group}" },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = group,
                Scope = scope,
                Names = new V1CustomResourceDefinitionNames { Plural = plural, Kind = kind, Singular = kind.ToLowerInvariant(), ListKind = kind + "List" },
                Versions =
                [
                    new V1CustomResourceDefinitionVersion
                    {
                        Name = "v1", Served = true, Storage = true,
                        Schema = new V1CustomResourceValidation
                        {
                            OpenAPIV3Schema = new V1JSONSchemaProps { Type = "object", XKubernetesPreserveUnknownFields = true },
                        },
                    },
                ],
            },
        };
        await Fx.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        await Eventually.TrueAsync(async () => (await Fx.Client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(crd.Metadata.Name)).Status?.Conditions?
            .Any(c => c.Type == "Established" && c.Status == "True") == true, $"{crd.Metadata.Name} established");
    }

    public async Task DisposeAsync()
    {
        if (_fx is not null)
        {
            await _fx.DisposeAsync();
        }
    }
}

/// <summary>The Kubernetes platform with cert-manager installed.</summary>
public sealed class KubernetesRepairFixture : RepairFixture
{
    protected override bool OpenShift => false;
}

/// <summary>The OpenShift platform (the ClusterVersion API is served).</summary>
public sealed class OpenShiftRepairFixture : RepairFixture
{
    protected override bool OpenShift => true;
}
