using NetworkOperator.Rendering.Preview;

namespace NetworkOperator.Rendering.Tests;

/// <summary>Renders example files exactly as <c>network-operator render</c> does.</summary>
internal static class Examples
{
    public const string InitContainerImage = "nvcr.io/nvidia/mellanox/network-operator-init-container:network-operator-v25.7.0";

    public sealed record Case(string Golden, string[] Files, bool OpenShift = false, string? InitImage = null)
    {
        public override string ToString() => Golden;
    }

    public static IReadOnlyList<Case> All { get; } =
    [
        new("nicclusterpolicy-full", ["nicclusterpolicy-full.yaml"]),
        new("nicclusterpolicy-openshift", ["nicclusterpolicy-openshift.yaml"], OpenShift: true),
        new("nicclusterpolicy-global-config", ["nicclusterpolicy-global-config.yaml"]),
        new("nicnodepolicy-gpu-nodes", ["nicnodepolicy-gpu-nodes.yaml"], InitImage: InitContainerImage),
        new("macvlannetwork", ["macvlannetwork.yaml"]),
        new("hostdevicenetwork", ["hostdevicenetwork.yaml"]),
        new("ipoibnetwork", ["ipoibnetwork.yaml"]),
    ];

    public static (RenderInput Input, IReadOnlyList<StateOutcome> Outcomes) Render(Case example)
    {
        var input = RenderInput.Load(example.Files.Select(Repository.Example), Repository.Example("nodes.yaml"));
        Assert.Empty(input.Errors);
        var facts = new ClusterFacts
        {
            ClusterType = example.OpenShift ? ClusterType.OpenShift : ClusterType.Kubernetes,
            Nodes = input.Nodes,
            ConfigMapKeys = input.ConfigMapKeys,
            OfedInitContainerImage = example.InitImage,
        };
        return (input, ClusterRenderer.RenderAll(input.Resources, facts));
    }

    public static string RenderYaml(Case example)
    {
        var (_, outcomes) = Render(example);
        Assert.All(outcomes, o => Assert.Null(o.Error));
        return RenderOutput.ToYaml(RenderOutput.Objects(outcomes));
    }
}
