using NetworkOperator.Tests.Shared;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Controllers.OpenShift;
using NetworkOperator.Controllers.Tests.Integration;
using NetworkOperator.Rendering;
using NetworkOperator.Simulator.Cluster.OpenShift;

namespace NetworkOperator.Controllers.Tests.OpenShift;

/// <summary>
/// The wait for OpenShift to inject the trusted CA bundle never holds a reconcile: a pass that created the ConfigMap
/// returns at once asking to run again, renders once the bundle is there, and gives up waiting after 15 s.
/// </summary>
public sealed class TrustedCaWaitTests
{
    private const string ConfigMapName = "ocp-network-operator-trusted-ca";

    [Fact]
    public async Task A_pass_asks_to_run_again_until_OpenShift_fills_the_bundle_then_renders_and_stops_waiting_after_15_s()
    {
        await using var fx = await OperatorFixture.StartAsync(startOperator: false, openShift: true);
        await fx.Client.CustomObjects.PatchClusterCustomObjectAsync(new V1Patch("""
            {"spec":{"httpsProxy":"http://proxy.example:3129","trustedCA":{"name":"user-ca-bundle"}}}
            """, V1Patch.PatchType.MergePatch), "config.openshift.io", "v1", "proxies", OpenShiftPlatform.ProxyName);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var facts = new OpenShiftFacts(fx.Client, OperatorFixture.Namespace, time, NullLogger.Instance);
        var policy = new NicClusterPolicy { Metadata = new V1ObjectMeta { Name = "nic-cluster-policy", Uid = Guid.NewGuid().ToString() } };
        var driver = new OfedDriverSpec { Image = "doca-driver", Repository = "nvcr.io/nvidia/mellanox", Version = "25.01-0.6.0.0-0" };
        var openShift = new ClusterFacts { ClusterType = ClusterType.OpenShift };

        // The first pass creates the ConfigMap for OpenShift to fill and asks to run again instead of polling it.
        var first = await facts.AddAsync(openShift, policy, driver, CancellationToken.None);
        Assert.Equal(OpenShiftFacts.TrustedCaRecheck, first.WaitForTrustedCa);
        var created = await fx.Client.CoreV1.ReadNamespacedConfigMapAsync(ConfigMapName, OperatorFixture.Namespace);
        Assert.Equal("true", created.Metadata.Labels[OpenShiftFacts.InjectTrustedCaBundleLabel]);

        // Once OpenShift has injected the bundle, the pass goes on with the proxy and its CA.
        await Eventually.TrueAsync(async () =>
            (await fx.Client.CoreV1.ReadNamespacedConfigMapAsync(ConfigMapName, OperatorFixture.Namespace)).Data?["ca-bundle.crt"] is { Length: > 0 },
            "OpenShift injects the trusted CA bundle");
        var filled = await facts.AddAsync(openShift, policy, driver, CancellationToken.None);
        Assert.Null(filled.WaitForTrustedCa);
        Assert.Equal(ConfigMapName, filled.Facts.Proxy?.TrustedCaConfigMap);

        // A bundle that never comes: recreated by the operator, then left empty (no label, so OpenShift ignores it).
        await fx.Client.CoreV1.DeleteNamespacedConfigMapAsync(ConfigMapName, OperatorFixture.Namespace);
        Assert.NotNull((await facts.AddAsync(openShift, policy, driver, CancellationToken.None)).WaitForTrustedCa);

        // OpenShift fills the recreated one too; emptied and unlabelled after that, it stays empty.
        await Eventually.TrueAsync(async () =>
            (await fx.Client.CoreV1.ReadNamespacedConfigMapAsync(ConfigMapName, OperatorFixture.Namespace)).Data?["ca-bundle.crt"] is { Length: > 0 },
            "OpenShift injects the bundle into the recreated ConfigMap");
        await fx.Client.CoreV1.ReplaceNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = ConfigMapName, NamespaceProperty = OperatorFixture.Namespace },
            Data = new Dictionary<string, string> { ["ca-bundle.crt"] = "" },
        }, ConfigMapName, OperatorFixture.Namespace);
        time.Advance(TimeSpan.FromSeconds(14));
        Assert.NotNull((await facts.AddAsync(openShift, policy, driver, CancellationToken.None)).WaitForTrustedCa);
        time.Advance(TimeSpan.FromSeconds(1));
        var gaveUp = await facts.AddAsync(openShift, policy, driver, CancellationToken.None);
        Assert.Null(gaveUp.WaitForTrustedCa);
        Assert.Equal(ConfigMapName, gaveUp.Facts.Proxy?.TrustedCaConfigMap);
        Assert.Null((await facts.AddAsync(openShift, policy, driver, CancellationToken.None)).WaitForTrustedCa);
    }
}
