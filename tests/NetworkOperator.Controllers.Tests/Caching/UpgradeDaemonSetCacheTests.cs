using k8s;
using k8s.Models;
using NetworkOperator.Api.Contract;
using NetworkOperator.Controllers.Tests.Integration;
using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Controllers.Tests.Caching;

/// <summary>
/// The driver upgrade reads DaemonSets from a cache scoped to what it judges: the operator namespace's driver
/// DaemonSets (label <c>nvidia.com/ofed-driver</c>), each decoded without its pod template. Unscoped, it decoded every
/// DaemonSet of the cluster, template included, on each status change.
/// </summary>
public sealed class UpgradeDaemonSetCacheTests
{
    private static V1DaemonSet DaemonSet(string name, string ns, Dictionary<string, string>? labels) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels },
        Spec = new V1DaemonSetSpec
        {
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "example.com/c:1" }] },
            },
        },
    };

    [Fact]
    public async Task Holds_only_the_operator_namespaces_driver_daemonsets_without_their_templates()
    {
        await using var fx = await OperatorFixture.StartAsync();
        await fx.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "other" } });
        await fx.Client.AppsV1.CreateNamespacedDaemonSetAsync(DaemonSet("stray-driver", "other", new() { [Labels.OfedDriver] = string.Empty }), "other");
        await fx.Client.AppsV1.CreateNamespacedDaemonSetAsync(DaemonSet("plain", OperatorFixture.Namespace, null), OperatorFixture.Namespace);
        await fx.Client.AppsV1.CreateNamespacedDaemonSetAsync(DaemonSet("driver", OperatorFixture.Namespace, new() { [Labels.OfedDriver] = string.Empty }),
            OperatorFixture.Namespace);

        var informer = fx.Operators[0].Manager.Cache.GetInformer<V1DaemonSet>();
        await Eventually.TrueAsync(() => informer.Store.List().Any(d => d.Status?.ObservedGeneration >= 1), "the driver DaemonSet and its status are cached");

        var cached = Assert.Single(informer.Store.List());
        Assert.Equal(("driver", OperatorFixture.Namespace), (cached.Metadata.Name, cached.Metadata.NamespaceProperty));
        Assert.NotNull(cached.Metadata.Uid);
        Assert.True(cached.Metadata.Labels.ContainsKey(Labels.OfedDriver));
        Assert.Equal("driver", cached.Spec.Selector.MatchLabels["app"]);
        Assert.Null(cached.Spec.Template);
    }
}
