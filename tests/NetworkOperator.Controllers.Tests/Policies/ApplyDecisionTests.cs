using System.Text.Json;
using k8s.Models;
using NetworkOperator.Api.Contract;
using NetworkOperator.Controllers.Policies;
using NetworkOperator.Runtime.Client;

namespace NetworkOperator.Controllers.Tests.Policies;

public class ApplyDecisionTests
{
    private static readonly Owner Policy = new("mellanox.com/v1alpha1", "NicClusterPolicy", "nic-cluster-policy", "uid-ncp");

    private static KubeObject ConfigMap(string? revision = "r1", string data = "{\"key\":\"value\"}", string kind = "ConfigMap")
    {
        var obj = new KubeObject
        {
            ApiVersion = "v1",
            Kind = kind,
            Metadata = new V1ObjectMeta
            {
                Name = "cm",
                NamespaceProperty = "nvidia-network-operator",
                Labels = new Dictionary<string, string> { [Labels.State] = "state-x" },
            },
            Fields = new Dictionary<string, JsonElement> { ["data"] = JsonDocument.Parse(data).RootElement.Clone() },
        };
        if (revision is not null)
        {
            obj.Metadata.Annotations = new Dictionary<string, string> { [Annotations.Revision] = revision };
        }

        return obj;
    }

    private static KubeObject Live(KubeObject desired, params V1OwnerReference[] owners)
    {
        var live = desired.Clone();
        live.Metadata.Uid = "uid-live";
        live.Metadata.ResourceVersion = "7";
        live.Metadata.CreationTimestamp = DateTime.UnixEpoch;
        live.Metadata.OwnerReferences = owners;
        return live;
    }

    private static V1OwnerReference ControlledBy(string uid, string apiVersion = "mellanox.com/v1alpha1", string kind = "NicNodePolicy",
        string name = "other") => new() { ApiVersion = apiVersion, Kind = kind, Name = name, Uid = uid, Controller = true };

    private static ApplyDecision Decide(KubeObject? desired, KubeObject? live, Func<string, bool>? isLiveOwner = null) =>
        ApplyDecision.Decide(desired, live, Policy, isLiveOwner ?? (_ => true));

    [Fact]
    public void A_missing_object_is_created()
    {
        Assert.Equal(ApplyAction.Create, Decide(ConfigMap(), null).Action);
    }

    [Fact]
    public void An_object_controlled_with_the_same_revision_and_every_field_in_place_is_unchanged()
    {
        var desired = ConfigMap();
        var decision = Decide(desired, Live(desired, Policy.Reference()));
        Assert.Equal(new ApplyDecision(ApplyAction.Unchanged), decision);
    }

    [Fact]
    public void What_the_server_or_others_only_add_is_not_a_change()
    {
        var desired = ConfigMap();
        var live = Live(desired, Policy.Reference());
        live.Metadata.Labels!["added-by-someone"] = "x";
        live.Metadata.Annotations!["kubectl.kubernetes.io/last-applied-configuration"] = "{}";
        live.Fields!["status"] = JsonDocument.Parse("{\"phase\":\"Active\"}").RootElement.Clone();
        live.Fields["data"] = JsonDocument.Parse("{\"key\":\"value\",\"defaulted\":\"1\"}").RootElement.Clone();
        Assert.Equal(ApplyAction.Unchanged, Decide(desired, live).Action);
    }

    [Fact]
    public void The_same_number_printed_differently_is_not_a_change()
    {
        var desired = ConfigMap(data: "{\"n\":1}");
        var live = Live(desired, Policy.Reference());
        live.Fields!["data"] = JsonDocument.Parse("{\"n\":1.0}").RootElement.Clone();
        Assert.Equal(ApplyAction.Unchanged, Decide(desired, live).Action);
    }

    [Fact]
    public void A_field_we_wrote_changed_on_the_cluster_is_restored_and_named()
    {
        var desired = ConfigMap();
        var live = Live(desired, Policy.Reference());
        live.Fields!["data"] = JsonDocument.Parse("{\"key\":\"tampered\"}").RootElement.Clone();
        var decision = Decide(desired, live);
        Assert.Equal(ApplyAction.Update, decision.Action);
        Assert.Equal("data.key", decision.DriftedField);
        Assert.Contains("data.key", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_verdict_holds_for_one_live_version_at_one_revision_and_a_new_version_is_judged_again()
    {
        var desired = ConfigMap();
        var live = Live(desired, Policy.Reference());
        Assert.Equal(ApplyAction.Unchanged, Decide(desired, live).Action);

        // The cache never edits an object in place; edited anyway, the same instance keeps its verdict (nothing is
        // serialized again for it), while the next version, a new instance, is read afresh.
        live.Fields!["data"] = JsonDocument.Parse("{\"key\":\"tampered\"}").RootElement.Clone();
        Assert.Equal(ApplyAction.Unchanged, Decide(desired, live).Action);
        var next = live.Clone();
        Assert.Equal("data.key", Decide(desired, next).DriftedField);

        // Another desired object under the same revision is the same object; another kind is not.
        Assert.Equal("data.key", Decide(ConfigMap(data: "{\"key\":\"tampered\"}"), next).DriftedField);
        var other = Live(ConfigMap(), Policy.Reference());
        Assert.Equal(ApplyAction.Unchanged, Decide(ConfigMap(), other).Action);
        Assert.Equal(ApplyAction.Update, Decide(ConfigMap(kind: "Secret"), other).Action);
    }

    [Fact]
    public void A_field_we_wrote_removed_on_the_cluster_is_restored()
    {
        var desired = ConfigMap();
        var live = Live(desired, Policy.Reference());
        live.Metadata.Labels!.Remove(Labels.State);
        var decision = Decide(desired, live);
        Assert.Equal(ApplyAction.Update, decision.Action);
        Assert.Equal($"metadata.labels.{Labels.State}", decision.DriftedField);
    }

    [Fact]
    public void A_service_accounts_token_secrets_are_not_ours_to_restore()
    {
        var desired = ConfigMap(kind: "ServiceAccount");
        desired.Fields!["secrets"] = JsonDocument.Parse("[]").RootElement.Clone();
        var live = Live(desired, Policy.Reference());
        live.Fields!["secrets"] = JsonDocument.Parse("[{\"name\":\"token-abc\"}]").RootElement.Clone();
        Assert.Equal(ApplyAction.Unchanged, Decide(desired, live).Action);
    }

    [Fact]
    public void Another_revision_is_an_update()
    {
        var live = Live(ConfigMap(revision: "r1"), Policy.Reference());
        var decision = Decide(ConfigMap(revision: "r2"), live);
        Assert.Equal(ApplyAction.Update, decision.Action);
        Assert.Null(decision.DriftedField);
    }

    [Fact]
    public void A_desired_object_without_a_revision_is_always_written()
    {
        var desired = ConfigMap(revision: null);
        Assert.Equal(ApplyAction.Update, Decide(desired, Live(desired, Policy.Reference())).Action);
    }

    [Fact]
    public void An_object_nobody_controls_is_adopted()
    {
        var desired = ConfigMap();
        var decision = Decide(desired, Live(desired));
        Assert.Equal(ApplyAction.Update, decision.Action);
        Assert.Contains("adopted", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_object_controlled_by_another_live_policy_stays_with_it()
    {
        var desired = ConfigMap();
        var decision = Decide(desired, Live(desired, ControlledBy("uid-nnp", name: "rack-a")), uid => uid == "uid-nnp");
        Assert.Equal(ApplyAction.Conflict, decision.Action);
        Assert.Equal("controlled by NicNodePolicy/rack-a, which keeps it", decision.Reason);
    }

    [Fact]
    public void An_object_whose_controlling_policy_is_gone_is_adopted()
    {
        var desired = ConfigMap();
        var decision = Decide(desired, Live(desired, ControlledBy("uid-gone")), _ => false);
        Assert.Equal(ApplyAction.Update, decision.Action);
    }

    [Fact]
    public void A_controller_outside_the_policy_group_never_keeps_an_object()
    {
        var desired = ConfigMap();
        var live = Live(desired, ControlledBy("uid-rs", apiVersion: "apps/v1", kind: "ReplicaSet"));
        Assert.Equal(ApplyAction.Update, Decide(desired, live).Action);
    }

    [Fact]
    public void An_object_no_longer_rendered_is_deleted_only_when_the_owner_controls_it()
    {
        var rendered = ConfigMap();
        var decision = Decide(null, Live(rendered, Policy.Reference()));
        Assert.Equal(ApplyAction.Delete, decision.Action);
        Assert.NotNull(decision.Reason);
        Assert.Equal(ApplyAction.Unchanged, Decide(null, Live(rendered, ControlledBy("uid-nnp"))).Action);
        Assert.Equal(ApplyAction.Unchanged, Decide(null, Live(rendered)).Action);
    }

    [Fact]
    public void An_object_already_being_deleted_or_gone_needs_nothing()
    {
        var live = Live(ConfigMap(), Policy.Reference());
        live.Metadata.DeletionTimestamp = DateTime.UnixEpoch;
        Assert.Equal(ApplyAction.Unchanged, Decide(null, live).Action);
        Assert.Equal(ApplyAction.Unchanged, Decide(null, null).Action);
    }
}
