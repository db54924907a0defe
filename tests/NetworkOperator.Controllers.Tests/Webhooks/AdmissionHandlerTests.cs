using System.Text.Json.Nodes;
using k8s.Models;
using NetworkOperator.Api;
using NetworkOperator.Api.Serialization;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Api.Validation;
using NetworkOperator.Controllers.Webhooks;

namespace NetworkOperator.Controllers.Tests.Webhooks;

public class AdmissionHandlerTests
{
    [Fact]
    public async Task A_valid_policy_is_allowed_and_the_uid_is_echoed()
    {
        var review = await new AdmissionHandler().ReviewAsync(AdmissionReviews.Request("NicClusterPolicy", "CREATE", AdmissionReviews.ValidPolicy, uid: "abc-123"));

        Assert.Equal("admission.k8s.io/v1", review["apiVersion"]!.GetValue<string>());
        Assert.Equal("AdmissionReview", review["kind"]!.GetValue<string>());
        Assert.Equal("abc-123", review["response"]!["uid"]!.GetValue<string>());
        Assert.True(review["response"]!["allowed"]!.GetValue<bool>());
        Assert.Null(review["response"]!["status"]);
    }

    [Fact]
    public async Task An_invalid_policy_is_rejected_with_an_Invalid_status_and_the_field_path()
    {
        var review = await new AdmissionHandler().ReviewAsync(AdmissionReviews.Request("NicClusterPolicy", "CREATE", AdmissionReviews.PolicyWithBadDriverVersion));
        var response = review["response"]!;

        Assert.False(response["allowed"]!.GetValue<bool>());
        var status = response["status"]!;
        Assert.Equal(422, status["code"]!.GetValue<int>());
        Assert.Equal("Invalid", status["reason"]!.GetValue<string>());
        Assert.StartsWith("NicClusterPolicy.mellanox.com \"nic-cluster-policy\" is invalid: spec.ofedDriver.version: Invalid value: \"latest-and-greatest\"",
            status["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("NicClusterPolicy", status["details"]!["kind"]!.GetValue<string>());
        Assert.Equal("mellanox.com", status["details"]!["group"]!.GetValue<string>());
        var cause = Assert.Single(status["details"]!["causes"]!.AsArray())!;
        Assert.Equal("spec.ofedDriver.version", cause["field"]!.GetValue<string>());
        Assert.Equal("FieldValueInvalid", cause["reason"]!.GetValue<string>());
        Assert.StartsWith("Invalid value: \"latest-and-greatest\"", cause["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_verdict_is_the_validation_librarys_verdict()
    {
        // No second copy of any rule: the webhook reports exactly what the library finds.
        var policy = KubernetesObjectSerializer.FromJson<NicClusterPolicy>(AdmissionReviews.PolicyWithBadDriverVersion);
        var expected = ObjectValidator.Validate(policy);

        var review = await new AdmissionHandler().ReviewAsync(AdmissionReviews.Request("NicClusterPolicy", "CREATE", AdmissionReviews.PolicyWithBadDriverVersion));

        var fields = review["response"]!["status"]!["details"]!["causes"]!.AsArray().Select(c => c!["field"]!.GetValue<string>());
        Assert.Equal(expected.Errors.Select(e => e.Field), fields);
    }

    [Fact]
    public async Task Soft_problems_come_back_as_warnings_on_an_allowed_request()
    {
        var json = AdmissionReviews.ValidPolicy.Replace("\"nic-cluster-policy\"", "\"other-policy\"", StringComparison.Ordinal);

        var review = await new AdmissionHandler().ReviewAsync(AdmissionReviews.Request("NicClusterPolicy", "CREATE", json));

        Assert.True(review["response"]!["allowed"]!.GetValue<bool>());
        var warning = Assert.Single(review["response"]!["warnings"]!.AsArray())!.GetValue<string>();
        Assert.StartsWith("metadata.name: ", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_is_always_allowed()
    {
        var review = await new AdmissionHandler().ReviewAsync(AdmissionReviews.Request("NicClusterPolicy", "DELETE", AdmissionReviews.PolicyWithBadDriverVersion));
        Assert.True(review["response"]!["allowed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Skip_validations_accepts_everything()
    {
        var review = await new AdmissionHandler(skipValidations: true).ReviewAsync(AdmissionReviews.Request("NicClusterPolicy", "CREATE", AdmissionReviews.PolicyWithBadDriverVersion));
        Assert.True(review["response"]!["allowed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Update_of_a_HostDeviceNetwork_with_a_bad_resource_name_is_rejected()
    {
        const string network = """
            {"apiVersion": "mellanox.com/v1alpha1", "kind": "HostDeviceNetwork", "metadata": {"name": "hostdev-net"},
             "spec": {"networkNamespace": "default", "resourceName": "bad name!"}}
            """;
        var review = await new AdmissionHandler().ReviewAsync(AdmissionReviews.Request("HostDeviceNetwork", "UPDATE", network, oldObjectJson: network));

        Assert.False(review["response"]!["allowed"]!.GetValue<bool>());
        Assert.Contains(review["response"]!["status"]!["details"]!["causes"]!.AsArray(), c => c!["field"]!.GetValue<string>() == "spec.resourceName");
    }

    [Fact]
    public async Task Node_policy_conflicting_with_the_cluster_policy_is_rejected_using_the_injected_context()
    {
        const string nodePolicy = """
            {"apiVersion": "mellanox.com/v1alpha1", "kind": "NicNodePolicy", "metadata": {"name": "gpu-nodes"},
             "spec": {"nodeSelector": {"node-role.kubernetes.io/gpu": ""},
                      "ofedDriver": {"image": "doca-driver", "repository": "nvcr.io/nvidia/mellanox", "version": "doca3.5.0-26.07-0.7.0.0-0"}}}
            """;
        var provider = new FixedContext(new ValidationContext
        {
            ClusterPolicies = [KubernetesObjectSerializer.FromJson<NicClusterPolicy>(AdmissionReviews.ValidPolicy)],
            Nodes = [new V1Node { Metadata = new V1ObjectMeta { Name = "node-1", Labels = new Dictionary<string, string> { ["node-role.kubernetes.io/gpu"] = "" } } }],
        });

        var review = await new AdmissionHandler(provider).ReviewAsync(AdmissionReviews.Request("NicNodePolicy", "CREATE", nodePolicy));

        Assert.Equal([ResourceKinds.NicNodePolicy], provider.Asked);
        Assert.False(review["response"]!["allowed"]!.GetValue<bool>());
        var cause = Assert.Single(review["response"]!["status"]!["details"]!["causes"]!.AsArray())!;
        Assert.Equal("spec.ofedDriver", cause["field"]!.GetValue<string>());
        Assert.Equal("FieldValueForbidden", cause["reason"]!.GetValue<string>());
        Assert.Contains("NicClusterPolicy already defines ofedDriver", cause["message"]!.GetValue<string>(), StringComparison.Ordinal);

        // Without the other objects the same policy is fine: the conflict came from the context.
        var alone = await new AdmissionHandler().ReviewAsync(AdmissionReviews.Request("NicNodePolicy", "CREATE", nodePolicy));
        Assert.True(alone["response"]!["allowed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_failing_context_provider_skips_cross_object_rules_instead_of_blocking()
    {
        var review = await new AdmissionHandler(new FailingContext()).ReviewAsync(AdmissionReviews.Request("NicClusterPolicy", "CREATE", AdmissionReviews.ValidPolicy));
        Assert.True(review["response"]!["allowed"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("""{"kind": "Pod"}""")]
    [InlineData("""{"apiVersion": "admission.k8s.io/v1beta1", "kind": "AdmissionReview", "request": {"uid": "x"}}""")]
    [InlineData("""{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview"}""")]
    [InlineData("""{"apiVersion": 1, "kind": ["AdmissionReview"]}""")]
    [InlineData("""{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {"uid": 7}}""")]
    [InlineData("""{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {"uid": "x", "object": "text", "operation": "CREATE"}}""")]
    [InlineData("""[]""")]
    public async Task Malformed_reviews_are_refused(string body)
    {
        await Assert.ThrowsAsync<AdmissionReviewException>(() => new AdmissionHandler().ReviewAsync(JsonNode.Parse(body)));
    }

    public static TheoryData<string, string, string> EveryKind => new()
    {
        { "NicClusterPolicy", """{"apiVersion":"mellanox.com/v1alpha1","kind":"NicClusterPolicy","metadata":{"name":"nic-cluster-policy"},"spec":{"nvIpam":{"image":"--privileged","repository":"ghcr.io/mellanox","version":"v1"}}}""", "spec.nvIpam.image" },
        { "NicNodePolicy", """{"apiVersion":"mellanox.com/v1alpha1","kind":"NicNodePolicy","metadata":{"name":"Bad_Name"},"spec":{"nodeSelector":{"a":"b"}}}""", "metadata.name" },
        { "MacvlanNetwork", """{"apiVersion":"mellanox.com/v1alpha1","kind":"MacvlanNetwork","metadata":{"name":"m"},"spec":{"master":"ens 1"}}""", "spec.master" },
        { "HostDeviceNetwork", """{"apiVersion":"mellanox.com/v1alpha1","kind":"HostDeviceNetwork","metadata":{"name":"h"},"spec":{"resourceName":"hostdev","ipam":"{\"type\":\"whereabouts\",\"range\":\"10.0.0.0/33\"}"}}""", "spec.ipam" },
        { "IPoIBNetwork", """{"apiVersion":"mellanox.com/v1alpha1","kind":"IPoIBNetwork","metadata":{"name":"i"},"spec":{"master":"ib0","ipam":"{\"type\":\"nv-ipam\",\"type\":\"static\"}"}}""", "spec.ipam" },
    };

    [Theory]
    [MemberData(nameof(EveryKind))]
    public async Task Every_kind_is_validated_with_the_shared_rules(string kind, string json, string field)
    {
        var review = await new AdmissionHandler().ReviewAsync(AdmissionReviews.Request(kind, "CREATE", json));

        var response = review["response"]!;
        Assert.False(response["allowed"]!.GetValue<bool>());
        var cause = Assert.Single(response["status"]!["details"]!["causes"]!.AsArray())!;
        Assert.Equal(field, cause["field"]!.GetValue<string>());
        Assert.Equal(kind, response["status"]!["details"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_object_of_the_wrong_shape_is_denied_with_the_field_not_thrown()
    {
        var review = await new AdmissionHandler().ReviewAsync(AdmissionReviews.Request("MacvlanNetwork", "CREATE",
            """{"apiVersion":"mellanox.com/v1alpha1","kind":"MacvlanNetwork","metadata":{"name":"m"},"spec":{"mtu":"big"}}"""));

        var response = review["response"]!;
        Assert.False(response["allowed"]!.GetValue<bool>());
        Assert.Equal("spec.mtu", response["status"]!["details"]!["causes"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public void The_webhook_serves_a_path_for_every_kind()
    {
        Assert.Equal(ResourceKinds.Mellanox.Select(k => k.Kind).Order(StringComparer.Ordinal),
            WebhookPaths.Kinds.Values.Select(k => k.Kind).Order(StringComparer.Ordinal));
    }

    private sealed class FixedContext(ValidationContext context) : IAdmissionContextProvider
    {
        public List<ResourceKind> Asked { get; } = [];

        public Task<ValidationContext> GetAsync(ResourceKind kind, CancellationToken cancellationToken)
        {
            Asked.Add(kind);
            return Task.FromResult(context);
        }
    }

    private sealed class FailingContext : IAdmissionContextProvider
    {
        public Task<ValidationContext> GetAsync(ResourceKind kind, CancellationToken cancellationToken) =>
            throw new HttpRequestException("connection refused");
    }
}
