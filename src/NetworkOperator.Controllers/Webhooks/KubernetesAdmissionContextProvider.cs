using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using NetworkOperator.Api;
using NetworkOperator.Api.Serialization;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Api.Validation;

namespace NetworkOperator.Controllers.Webhooks;

/// <summary>Lists the policies and nodes the cross-object rules need straight from the API server.</summary>
public sealed class KubernetesAdmissionContextProvider : IAdmissionContextProvider
{
    private readonly IKubernetes _client;

    public KubernetesAdmissionContextProvider(IKubernetes client) => _client = client;

    public async Task<ValidationContext> GetAsync(ResourceKind kind, CancellationToken cancellationToken)
    {
        var nodePolicies = await ListAsync<NicNodePolicy>(ResourceKinds.NicNodePolicy, cancellationToken);
        if (kind == ResourceKinds.NicClusterPolicy)
        {
            return new ValidationContext { NodePolicies = nodePolicies };
        }

        var clusterPolicies = await ListAsync<NicClusterPolicy>(ResourceKinds.NicClusterPolicy, cancellationToken);
        var nodes = await _client.CoreV1.ListNodeAsync(cancellationToken: cancellationToken);
        return new ValidationContext { ClusterPolicies = clusterPolicies, NodePolicies = nodePolicies, Nodes = nodes.Items.ToList() };
    }

    private async Task<IReadOnlyList<T>> ListAsync<T>(ResourceKind kind, CancellationToken cancellationToken)
    {
        var list = await _client.CustomObjects.ListClusterCustomObjectAsync(kind.Group, kind.Version, kind.Plural, cancellationToken: cancellationToken);
        var node = list switch
        {
            JsonElement element => JsonNode.Parse(element.GetRawText()),
            JsonNode json => json,
            _ => JsonNode.Parse(JsonSerializer.Serialize(list)),
        };
        return (node?["items"]?.AsArray() ?? [])
            .Where(i => i is JsonObject)
            .Select(i => KubernetesObjectSerializer.FromJsonNode<T>(i!, strict: false))
            .ToList();
    }
}
