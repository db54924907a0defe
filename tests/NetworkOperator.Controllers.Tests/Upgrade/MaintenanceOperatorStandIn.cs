using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using NetworkOperator.Controllers.Upgrade;

namespace NetworkOperator.Controllers.Tests.Upgrade;

/// <summary>
/// Plays the NVIDIA maintenance operator for requestor-mode tests: another operator, with its own CRD and its own
/// parallelism. For each NodeMaintenance in its namespace it cordons the node, evicts the node's workload pods through
/// the Eviction API and then reports the object Ready (condition Ready, reason Ready); when the object is deleted it
/// uncordons the node. It remembers each object's spec as first seen and the most nodes it held at once.
/// </summary>
internal sealed class MaintenanceOperatorStandIn : IAsyncDisposable
{
    private readonly IKubernetes _client;
    private readonly string _namespace;
    private readonly int _maxParallel;
    private readonly HashSet<string> _held = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public MaintenanceOperatorStandIn(IKubernetes client, string ns, int maxParallel)
    {
        _client = client;
        _namespace = ns;
        _maxParallel = maxParallel;
    }

    /// <summary>Each NodeMaintenance's spec the first time it was seen, by name.</summary>
    public ConcurrentDictionary<string, JsonObject> SpecsSeen { get; } = new(StringComparer.Ordinal);

    public int MaxHeld { get; private set; }

    public int Evictions { get; private set; }

    /// <summary>A minimal NodeMaintenance CRD (the fields the upgrade writes are kept as they are).</summary>
    public static V1CustomResourceDefinition Crd() => new()
    {
        Metadata = new V1ObjectMeta { Name = $"{NodeMaintenanceInfo.Plural}.{NodeMaintenanceInfo.Group}" },
        Spec = new V1CustomResourceDefinitionSpec
        {
            Group = NodeMaintenanceInfo.Group,
            Scope = "Namespaced",
            Names = new V1CustomResourceDefinitionNames { Plural = NodeMaintenanceInfo.Plural, Singular = "nodemaintenance", Kind = NodeMaintenanceInfo.Kind },
            Versions =
            [
                new V1CustomResourceDefinitionVersion
                {
                    Name = NodeMaintenanceInfo.Version, Served = true, Storage = true,
                    Subresources = new V1CustomResourceSubresources { Status = new object() },
                    Schema = new V1CustomResourceValidation
                    {
                        OpenAPIV3Schema = new V1JSONSchemaProps { Type = "object", XKubernetesPreserveUnknownFields = true },
                    },
                },
            ],
        },
    };

    public void Start() => _loop = Task.Run(() => LoopAsync(_stop.Token));

    private async Task LoopAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await SyncAsync(stop);
                await Task.Delay(100, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpOperationException)
            {
                // Conflicts with the requestor's writes are retried on the next round, as a controller would.
            }
        }
    }

    private async Task SyncAsync(CancellationToken stop)
    {
        var list = await _client.CustomObjects.ListNamespacedCustomObjectAsync(NodeMaintenanceInfo.Group, NodeMaintenanceInfo.Version, _namespace,
            NodeMaintenanceInfo.Plural, cancellationToken: stop);
        var items = (JsonNode.Parse(KubernetesJson.Serialize(list))!["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items.OrderBy(i => i["metadata"]!["creationTimestamp"]?.ToString(), StringComparer.Ordinal))
        {
            var info = NodeMaintenanceInfo.FromJson(item);
            present.Add(info.NodeName);
            SpecsSeen.TryAdd(info.Name, (JsonObject)item["spec"]!.DeepClone());
            if (info.Ready || (!_held.Contains(info.NodeName) && _held.Count >= _maxParallel))
            {
                continue;
            }

            _held.Add(info.NodeName);
            MaxHeld = Math.Max(MaxHeld, _held.Count);
            await SetUnschedulableAsync(info.NodeName, true, stop);
            if (await EvictWorkloadsAsync(info.NodeName, stop))
            {
                var status = new JsonObject
                {
                    ["status"] = new JsonObject
                    {
                        ["conditions"] = new JsonArray(new JsonObject
                        {
                            ["type"] = "Ready", ["status"] = "True", ["reason"] = "Ready", ["message"] = "node cordoned and drained",
                            ["lastTransitionTime"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                        }),
                    },
                };
                await _client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch(status.ToJsonString(), V1Patch.PatchType.MergePatch),
                    NodeMaintenanceInfo.Group, NodeMaintenanceInfo.Version, _namespace, NodeMaintenanceInfo.Plural, info.Name, cancellationToken: stop);
            }
        }

        // Maintenance over (object deleted): give the node back.
        foreach (var node in _held.Where(n => !present.Contains(n)).ToList())
        {
            await SetUnschedulableAsync(node, false, stop);
            _held.Remove(node);
        }
    }

    private async Task SetUnschedulableAsync(string node, bool value, CancellationToken stop) =>
        await _client.CoreV1.PatchNodeAsync(new V1Patch(value ? """{"spec":{"unschedulable":true}}""" : """{"spec":{"unschedulable":null}}""", V1Patch.PatchType.MergePatch), node,
            cancellationToken: stop);

    // True once no workload pod is left on the node.
    private async Task<bool> EvictWorkloadsAsync(string node, CancellationToken stop)
    {
        var pods = (await _client.CoreV1.ListNamespacedPodAsync("default", fieldSelector: "spec.nodeName=" + node, cancellationToken: stop)).Items;
        foreach (var pod in pods.Where(p => p.Metadata.DeletionTimestamp is null))
        {
            try
            {
                await _client.CoreV1.CreateNamespacedPodEvictionAsync(new V1Eviction
                {
                    Metadata = new V1ObjectMeta { Name = pod.Metadata.Name, NamespaceProperty = "default" },
                }, pod.Metadata.Name, "default", cancellationToken: stop);
                Evictions++;
            }
            catch (HttpOperationException ex) when ((int)ex.Response.StatusCode is 429 or 404)
            {
            }
        }

        return pods.Count == 0;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stop.Dispose();
    }
}
