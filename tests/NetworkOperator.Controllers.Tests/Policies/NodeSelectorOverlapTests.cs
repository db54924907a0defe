using NetworkOperator.Tests.Shared;
using k8s.Models;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Controllers.Policies;

namespace NetworkOperator.Controllers.Tests.Policies;

public sealed class NodeSelectorOverlapTests
{
    private static V1Node Node(string name, params (string Key, string Value)[] labels) => TestNodes.Node(name).Labels(labels).Build();

    private static NicNodePolicy Policy(string name, params (string Key, string Value)[] selector) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new NicNodePolicySpec { NodeSelector = selector.ToDictionary(l => l.Key, l => l.Value) },
    };

    [Fact]
    public void ReportsSortedNodesAndPolicies()
    {
        var nodes = new[] { Node("n2", ("gpu", "a")), Node("n1", ("gpu", "a")), Node("n3", ("gpu", "b")) };
        var policies = new[] { Policy("zeta", ("gpu", "a")), Policy("alpha"), Policy("beta", ("gpu", "b")) };

        var message = NodeSelectorOverlap.Detect(policies, nodes);

        Assert.Equal("node selector overlap detected: node \"n1\" is selected by policies: [alpha, zeta]; "
            + "node \"n2\" is selected by policies: [alpha, zeta]; node \"n3\" is selected by policies: [alpha, beta]", message);
    }

    [Fact]
    public void DisjointSelectorsDoNotOverlapAndSubjectFilters()
    {
        var nodes = new[] { Node("n1", ("gpu", "a")), Node("n2", ("gpu", "b")) };
        Assert.Null(NodeSelectorOverlap.Detect([Policy("a", ("gpu", "a")), Policy("b", ("gpu", "b"))], nodes));
        Assert.Null(NodeSelectorOverlap.Detect([Policy("a", ("gpu", "a")), Policy("b", ("gpu", "a")), Policy("c", ("gpu", "b"))], nodes, "c"));
    }

    [Fact]
    public void LongOverlapListsAreBounded()
    {
        var nodes = Enumerable.Range(0, 50).Select(i => Node($"n{i:D2}")).ToArray();
        var message = NodeSelectorOverlap.Detect([Policy("a"), Policy("b")], nodes)!;
        Assert.EndsWith("; and 47 more nodes", message);
    }
}
