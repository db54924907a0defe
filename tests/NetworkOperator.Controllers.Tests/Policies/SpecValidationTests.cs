using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Controllers.Policies;

namespace NetworkOperator.Controllers.Tests.Policies;

/// <summary>The reconcilers' spec check: the webhook's rules, with one verdict per cached object version.</summary>
public sealed class SpecValidationTests
{
    private static NicClusterPolicy Policy(string image) => new()
    {
        Metadata = new() { Name = ApiGroup.NicClusterPolicyName, Generation = 1 },
        Spec = new NicClusterPolicySpec { NvIpam = new NvIpamSpec { Image = image, Repository = "ghcr.io/mellanox", Version = "v0.3.7" } },
    };

    [Fact]
    public void A_valid_policy_has_no_problems_and_an_invalid_one_names_the_field()
    {
        Assert.Null(SpecValidation.Problems(Policy("nvidia-k8s-ipam")));
        var problems = SpecValidation.Problems(Policy("not an image!"));
        Assert.NotNull(problems);
        Assert.Contains("spec.nvIpam.image", problems, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_object_is_judged_once_and_every_new_version_afresh()
    {
        var invalid = Policy("not an image!");
        var first = SpecValidation.Problems(invalid);
        Assert.Same(first, SpecValidation.Problems(invalid));

        // The informer's next version of the object is a new instance: a fixed spec is valid at once, and an equal
        // but separate broken one is judged on its own (same words, not the remembered string).
        Assert.Null(SpecValidation.Problems(Policy("nvidia-k8s-ipam")));
        var again = SpecValidation.Problems(Policy("not an image!"));
        Assert.Equal(first, again);
        Assert.NotSame(first, again);
    }
}
