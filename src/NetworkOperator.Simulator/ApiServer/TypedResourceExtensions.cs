using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using NetworkOperator.Simulator.Storage;

namespace NetworkOperator.Simulator.ApiServer;

/// <summary>
/// KubernetesClient model types over <see cref="ResourceService"/>, for in-process components (simulated kubelet,
/// controllers) that prefer V1Pod to JsonObject. Same write path as HTTP clients.
/// </summary>
public static class TypedResourceExtensions
{
    public static T As<T>(this StoredObject stored) => KubernetesJson.Deserialize<T>(System.Text.Encoding.UTF8.GetString(stored.Json));

    public static async Task<T> CreateAsync<T>(this ResourceService service, T obj, WriteOptions? options = null, CancellationToken cancellationToken = default)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var type = service.ResolveKind(obj.ApiVersion, obj.Kind);
        var stored = await service.CreateAsync(type, obj.Metadata?.NamespaceProperty, ToJson(obj), options, cancellationToken);
        return stored.As<T>();
    }

    public static async Task<T> UpdateAsync<T>(this ResourceService service, T obj, WriteOptions? options = null, CancellationToken cancellationToken = default)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var type = service.ResolveKind(obj.ApiVersion, obj.Kind);
        var stored = await service.UpdateAsync(type, obj.Metadata?.NamespaceProperty, ToJson(obj), options, cancellationToken);
        return stored.As<T>();
    }

    public static async Task<T> UpdateStatusAsync<T>(this ResourceService service, T obj, WriteOptions? options = null, CancellationToken cancellationToken = default)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var type = service.ResolveKind(obj.ApiVersion, obj.Kind);
        var stored = await service.UpdateStatusAsync(type, obj.Metadata?.NamespaceProperty, ToJson(obj), options, cancellationToken);
        return stored.As<T>();
    }

    /// <summary>Reads one object; apiVersion and kind name the type (e.g. "apps/v1", "DaemonSet").</summary>
    public static T? TryGet<T>(this ResourceService service, string apiVersion, string kind, string? ns, string name) =>
        service.TryGet(service.ResolveKind(apiVersion, kind), ns, name) is { } stored ? stored.As<T>() : default;

    public static IReadOnlyList<T> List<T>(this ResourceService service, string apiVersion, string kind, string? ns, ListOptions? options = null) =>
        service.List(service.ResolveKind(apiVersion, kind), ns, options).Items.Select(i => i.As<T>()).ToList();

    private static JsonObject ToJson<T>(T obj) => JsonNode.Parse(KubernetesJson.Serialize(obj))!.AsObject();
}
