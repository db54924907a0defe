using NetworkOperator.Api;
using NetworkOperator.Controllers.Hosting;
using NetworkOperator.Controllers.Tests.Integration;
using NetworkOperator.Rendering;

namespace NetworkOperator.Controllers.Tests.Startup;

public sealed class WatchedKindsTests
{
    [Fact]
    public void Every_kind_a_state_declares_is_a_managed_kind_so_it_is_cached_and_swept()
    {
        var declared = ComponentStates.ClusterPolicy.SelectMany(s => s.OwnedKinds).Concat(ComponentStates.NodePolicy.SelectMany(s => s.OwnedKinds));
        Assert.All(declared, k => Assert.Contains(k, ManagedKinds.All));
    }

    [Fact]
    public void Managed_kinds_are_the_declared_kinds_plus_network_attachments_and_leftover_cron_jobs_only()
    {
        var declared = ComponentStates.ClusterPolicy.SelectMany(s => s.OwnedKinds).Concat(ComponentStates.NodePolicy.SelectMany(s => s.OwnedKinds)).ToHashSet();
        var extra = ManagedKinds.All.Where(k => !declared.Contains(k)).Select(k => k.Kind).Order(StringComparer.Ordinal);
        Assert.Equal(["CronJob", "NetworkAttachmentDefinition"], extra);
        Assert.Equal(ManagedKinds.All.Count, ManagedKinds.All.Distinct().Count());
        Assert.Same(ManagedKinds.NetworkAttachmentDefinition, ManagedKinds.Find("k8s.cni.cncf.io/v1", "NetworkAttachmentDefinition"));
    }

    [Fact]
    public async Task Each_policy_controller_watches_exactly_the_served_kinds_its_states_declare()
    {
        await using var fx = await OperatorFixture.StartAsync();
        var host = Assert.Single(fx.Operators);

        Assert.Equal(Expected(host, ComponentStates.ClusterPolicy.SelectMany(s => s.OwnedKinds)), Owned(host, "nicclusterpolicy", "NicClusterPolicy"));
        Assert.Equal(Expected(host, ComponentStates.NodePolicy.SelectMany(s => s.OwnedKinds)), Owned(host, "nicnodepolicy", "NicNodePolicy"));

        // What the declarations save: a NicNodePolicy renders no Deployment, and no policy state renders a NAD.
        Assert.DoesNotContain("Deployment", Owned(host, "nicnodepolicy", "NicNodePolicy"));
        Assert.Contains("Deployment", Owned(host, "nicclusterpolicy", "NicClusterPolicy"));
        Assert.DoesNotContain("NetworkAttachmentDefinition", Owned(host, "nicclusterpolicy", "NicClusterPolicy"));
    }

    private static List<string> Expected(OperatorHost host, IEnumerable<ResourceKind> declared) =>
        [.. host.ManagedKindsServed.Where(declared.ToHashSet().Contains).Select(k => k.Kind)];

    private static List<string> Owned(OperatorHost host, string controller, string owner)
    {
        var suffix = " owned by " + owner;
        return
        [
            .. host.Manager.Controllers.Single(c => c.Name == controller).Sources
                .Where(s => s.Description.EndsWith(suffix, StringComparison.Ordinal))
                .Select(s => s.Description[..^suffix.Length]),
        ];
    }
}
