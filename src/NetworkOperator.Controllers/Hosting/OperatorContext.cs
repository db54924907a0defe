using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using NetworkOperator.Controllers.OpenShift;
using NetworkOperator.Controllers.Startup;
using NetworkOperator.Rendering;
using NetworkOperator.Rendering.Ofed;
using NetworkOperator.Runtime.Apply;
using NetworkOperator.Runtime.Cache;
using NetworkOperator.Runtime.Client;

namespace NetworkOperator.Controllers.Hosting;

/// <summary>Everything the controllers share: clients, caches, environment, platform, the tag lister and metrics.</summary>
public sealed class OperatorContext
{
    public required IKubernetes Client { get; init; }

    public required ICacheReader Reader { get; init; }

    public required OperatorEnvironment Environment { get; init; }

    public required ClusterType ClusterType { get; init; }

    public required ILoggerFactory LoggerFactory { get; init; }

    public required TimeProvider Time { get; init; }

    public required ComponentMetrics Metrics { get; init; }

    public EventRecorder? Events { get; init; }

    /// <summary>Precompiled-driver tag lookup and its refresh (network I/O, done before rendering); null disables it.</summary>
    public IPrecompiledTagLister? Tags { get; init; }

    public Func<string, string, CancellationToken, Task>? RefreshTags { get; init; }

    /// <summary>When set, ready resources are looked at again on this period too (tests use it to prove idleness).</summary>
    public TimeSpan? SteadyStateResync { get; init; }

    /// <summary>OpenShift's Driver Toolkit images and cluster proxy, read before a policy with a driver is rendered.</summary>
    public OpenShiftFacts OpenShift => _openShift ??= new OpenShiftFacts(Client, Environment.Namespace, Time, LoggerFactory.CreateLogger<OpenShiftFacts>());

    private OpenShiftFacts? _openShift;

    public ClusterFacts Facts()
    {
        var configMaps = Reader.List(ManagedKinds.ConfigMap, @namespace: Environment.Namespace)
            .ToDictionary(c => c.Metadata.Name, c => (IReadOnlyList<string>)KeysOf(c), StringComparer.Ordinal);
        return new ClusterFacts
        {
            ClusterType = ClusterType,
            Nodes = Reader.List<V1Node>(),
            OperatorNamespace = Environment.Namespace,
            CniBinDirectory = Environment.CniBinDirectory ?? string.Empty,
            CniNetworkDirectory = Environment.CniNetworkDirectory ?? string.Empty,
            OfedInitContainerImage = Environment.OfedInitContainerImage,
            UseDriverToolkit = Environment.UseDriverToolkit,
            ConfigMapKeys = configMaps,
            PrecompiledTags = Tags,
        };
    }

    private static List<string> KeysOf(KubeObject configMap)
    {
        var keys = new List<string>();
        foreach (var field in new[] { "data", "binaryData" })
        {
            if (configMap.Field(field) is { ValueKind: System.Text.Json.JsonValueKind.Object } map)
            {
                keys.AddRange(map.EnumerateObject().Select(p => p.Name));
            }
        }

        keys.Sort(StringComparer.Ordinal);
        return keys;
    }
}
