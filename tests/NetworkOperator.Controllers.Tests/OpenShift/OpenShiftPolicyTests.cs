using NetworkOperator.Tests.Shared;
using k8s;
using k8s.Models;
using NetworkOperator.Api.Contract;
using NetworkOperator.Controllers.Preview;
using NetworkOperator.Controllers.Tests.Integration;
using NetworkOperator.Rendering.Preview;
using NetworkOperator.Simulator.Cluster.Nodes;
using NetworkOperator.Simulator.Cluster.OpenShift;

namespace NetworkOperator.Controllers.Tests.OpenShift;

/// <summary>
/// On a simulated OpenShift cluster (RHCOS workers, the Driver Toolkit ImageStream, a cluster-wide proxy with a trusted
/// CA), the operator under the chart's identity builds the driver with the toolkit image of each node's RHCOS build,
/// passes the proxy to the driver, has OpenShift inject the trusted CA bundle and brings the policy to Ready.
/// </summary>
public sealed class OpenShiftPolicyTests
{
    private const string Policy = """
        apiVersion: mellanox.com/v1alpha1
        kind: NicClusterPolicy
        metadata:
          name: nic-cluster-policy
        spec:
          ofedDriver:
            image: doca-driver
            repository: nvcr.io/nvidia/mellanox
            version: doca3.1.0-25.07-0.9.7.0-0
            env:
            - name: NO_PROXY
              value: .policy.example
          rdmaSharedDevicePlugin:
            image: k8s-rdma-shared-dev-plugin
            repository: ghcr.io/mellanox
            version: v1.5.3
            config: '{"configList":[{"resourceName":"rdma_shared_device_a","rdmaHcaMax":63,"selectors":{"vendors":["15b3"]}}]}'
        """;

    private const string UserCa = "-----BEGIN CERTIFICATE-----\nMIIBdGVzdC1wcm94eS1jYQ==\n-----END CERTIFICATE-----\n";

    [Fact]
    public async Task An_OpenShift_policy_gets_the_toolkit_image_the_proxy_and_the_trusted_CA_and_reaches_Ready()
    {
        await using var fx = await OperatorFixture.StartAsync(startOperator: false, openShift: true);

        // The admin configures the cluster-wide proxy with an extra trusted CA, as on OpenShift.
        await fx.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "user-ca-bundle", NamespaceProperty = OpenShiftPlatform.ConfigNamespace },
            Data = new Dictionary<string, string> { ["ca-bundle.crt"] = UserCa },
        }, OpenShiftPlatform.ConfigNamespace);
        await fx.Client.CustomObjects.PatchClusterCustomObjectAsync(new V1Patch("""
            {"spec":{"httpProxy":"http://proxy.example:3128","httpsProxy":"http://proxy.example:3129","noProxy":".cluster.local","trustedCA":{"name":"user-ca-bundle"}}}
            """, V1Patch.PatchType.MergePatch), "config.openshift.io", "v1", "proxies", OpenShiftPlatform.ProxyName);

        var pools = NodePool.OpenShift;
        var now = DateTime.UtcNow;
        for (var i = 0; i < pools.Count; i++)
        {
            await fx.AddNodeAsync(SyntheticNodeGenerator.Build($"worker-{i}", pools[i], hasMellanoxNic: true, new SyntheticNodeOptions(), now));
        }

        await fx.StartOperatorAsync();
        await fx.ApplyYamlAsync(Policy);
        await Eventually.TrueAsync(async () => (await fx.GetCustomAsync("nicclusterpolicies", ApiGroup.NicClusterPolicyName))?["status"]?["state"]?.GetValue<string>() == "ready",
            "the OpenShift policy reaches ready", Eventually.LongTimeout);

        // One driver pool per RHCOS build, each with that build's toolkit image in the sidecar and pinned to the build.
        var drivers = await fx.DaemonSetsAsync($"{Labels.State}={StateNames.Ofed}");
        Assert.Equal(pools.Count, drivers.Count);
        foreach (var pool in pools)
        {
            var ds = Assert.Single(drivers, d => d.Spec.Template.Spec.NodeSelector[Labels.KernelVersionFull] == pool.Kernel);
            var spec = ds.Spec.Template.Spec;
            Assert.Equal(pool.OsTreeVersion, spec.NodeSelector[Labels.OsTreeVersion]);
            var toolkit = Assert.Single(spec.Containers, c => c.Name == "openshift-driver-toolkit-ctr");
            Assert.Equal(OpenShiftPlatform.ToolkitImage(pool.OsTreeVersion!), toolkit.Image);
            var driver = Assert.Single(spec.Containers, c => c.Name == "mofed-container");
            var env = driver.Env.ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal);
            Assert.Equal("true", env["DTK_OCP_DRIVER_BUILD"]);
            Assert.Equal("http://proxy.example:3128", env["HTTP_PROXY"]);
            Assert.Equal("http://proxy.example:3128", env["http_proxy"]);
            Assert.Equal("http://proxy.example:3129", env["HTTPS_PROXY"]);
            Assert.Equal("http://proxy.example:3129", env["https_proxy"]);

            // The policy's own NO_PROXY wins over the cluster's; neither case of it is added.
            Assert.Equal(".policy.example", env["NO_PROXY"]);
            Assert.DoesNotContain("no_proxy", env.Keys);

            // The injected bundle is mounted where RHCOS looks for extracted CA certificates.
            var mount = Assert.Single(driver.VolumeMounts, m => m.Name == "ocp-network-operator-trusted-ca");
            Assert.Equal("/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", mount.MountPath);
            Assert.Equal("tls-ca-bundle.pem", mount.SubPath);
            var volume = Assert.Single(spec.Volumes, v => v.Name == "ocp-network-operator-trusted-ca").ConfigMap;
            Assert.Equal("ocp-network-operator-trusted-ca", volume.Name);
            var item = Assert.Single(volume.Items);
            Assert.Equal(("ca-bundle.crt", "tls-ca-bundle.pem"), (item.Key, item.Path));

            // The toolkit sidecar builds with the same environment and certificates as the driver container.
            Assert.Contains(toolkit.Env, e => e.Name == "HTTPS_PROXY" && e.Value == "http://proxy.example:3129");
            Assert.Contains(toolkit.Env, e => e.Name == "CREATE_IFNAMES_UDEV");
            Assert.Contains(toolkit.VolumeMounts, m => m.Name == "ocp-network-operator-trusted-ca");
        }

        // The operator created the ConfigMap for OpenShift to fill, owned by the policy; OpenShift put the proxy's CA in.
        var trusted = await fx.Client.CoreV1.ReadNamespacedConfigMapAsync("ocp-network-operator-trusted-ca", OperatorFixture.Namespace);
        Assert.Equal("true", trusted.Metadata.Labels["config.openshift.io/inject-trusted-cabundle"]);
        Assert.Equal(ApiGroup.NicClusterPolicyName, Assert.Single(trusted.Metadata.OwnerReferences, r => r.Controller == true).Name);
        Assert.Contains(UserCa, trusted.Data["ca-bundle.crt"], StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", trusted.Data["ca-bundle.crt"], StringComparison.Ordinal);

        // A preview of the same policy on this cluster reads the toolkit images and the proxy too: nothing would change.
        var file = Path.Combine(Directory.CreateTempSubdirectory("openshift-preview-").FullName, "policy.yaml");
        await File.WriteAllTextAsync(file, Policy);
        var cluster = await LiveCluster.ReadAsync(fx.Client, OperatorFixture.Namespace, CancellationToken.None);
        var input = RenderInput.Load([file], null, cluster.ValidationContext);
        Assert.Empty(input.Errors);
        var plan = ChangePlanner.Plan(input.Resources, cluster, ChangePlanner.Facts(cluster, input.ConfigMapKeys));
        Assert.Empty(plan.RenderErrors);
        Assert.False(plan.HasChanges, string.Join("; ", plan.Changes.Where(c => c.IsChange).Select(c => $"{c.Action} {c.Kind} {c.QualifiedName}: {c.Note}")));

        // Components that run privileged pods got their SCC grants; the CNI directory is OpenShift's.
        var rdma = Assert.Single(await fx.DaemonSetsAsync($"{Labels.State}={StateNames.RdmaDevicePlugin}"));
        Assert.Equal("rdma-shared", rdma.Spec.Template.Spec.ServiceAccountName);
        var roles = await fx.Client.RbacAuthorizationV1.ListNamespacedRoleAsync(OperatorFixture.Namespace);
        Assert.Contains(roles.Items, r => r.Metadata.Name == "ofed-driver" && r.Rules.Any(rule => rule.Verbs.Contains("use") && rule.ResourceNames.Contains("privileged")));
    }

    [Fact]
    public async Task A_missing_toolkit_tag_for_a_node_build_is_reported_on_the_policy()
    {
        await using var fx = await OperatorFixture.StartAsync(openShift: true);
        var pool = NodePool.OpenShift[0] with { OsTreeVersion = "418.94.202501010000-0" };
        await fx.AddNodeAsync(SyntheticNodeGenerator.Build("worker-new", pool, hasMellanoxNic: true, new SyntheticNodeOptions(), DateTime.UtcNow));
        await fx.ApplyYamlAsync(Policy);

        await Eventually.TrueAsync(async () =>
        {
            var status = (await fx.GetCustomAsync("nicclusterpolicies", ApiGroup.NicClusterPolicyName))?["status"];
            var ofed = status?["appliedStates"]?.AsArray().FirstOrDefault(s => s?["name"]?.GetValue<string>() == StateNames.Ofed);
            return ofed?["state"]?.GetValue<string>() == "error" &&
                   ofed["message"]?.GetValue<string>()?.Contains("418.94.202501010000-0", StringComparison.Ordinal) == true;
        }, "the driver state names the RHCOS build without a toolkit image");
        Assert.Empty(await fx.DaemonSetsAsync($"{Labels.State}={StateNames.Ofed}"));
    }
}
