using System.Text.Json;
using System.Text.Json.Nodes;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Controllers.Upgrade;

namespace NetworkOperator.Controllers.Tests.Upgrade;

public sealed class UpgradeStatusWriterTests
{
    private static readonly DriverUpgradeStatus?[] Statuses =
    [
        null,
        new(),
        new() { NodeCountsByState = [] },
        new() { NodeCountsByState = new() { ["upgrade-done"] = 3 } },
        new() { NodeCountsByState = new() { ["upgrade-done"] = 4 } },
        new() { NodeCountsByState = new() { ["upgrade-done"] = 3, ["upgrade-required"] = 1 } },
        new() { NodeCountsByState = new() { ["upgrade-required"] = 1, ["upgrade-done"] = 3 } },
        new() { NodeCountsByState = new() { ["upgrade-done"] = 3 }, BlockedNodes = [] },
        new() { NodeCountsByState = new() { ["upgrade-done"] = 3 }, BlockedNodes = [new() { Name = "a", Reason = "r" }] },
        new() { NodeCountsByState = new() { ["upgrade-done"] = 3 }, BlockedNodes = [new() { Name = "a", Reason = "other" }] },
        new() { NodeCountsByState = new() { ["upgrade-done"] = 3 }, BlockedNodes = [new() { Name = "a" }] },
        new() { NodeCountsByState = new() { ["upgrade-done"] = 3 }, BlockedNodes = [new() { Name = "a", Reason = "r" }, new() { Name = "b", Reason = "r" }] },
        new() { NodeCountsByState = new() { ["upgrade-done"] = 3 }, BlockedNodes = [new() { Name = "b", Reason = "r" }, new() { Name = "a", Reason = "r" }] },
        new() { NodeCountsByState = new() { ["upgrade-done"] = 3 }, FailedNodes = [new() { Name = "a", Reason = "r" }] },
    ];

    [Fact]
    public void Differs_agrees_with_comparing_the_serialized_statuses_for_every_pair()
    {
        foreach (var a in Statuses)
        {
            foreach (var b in Statuses)
            {
                var asJson = !JsonNode.DeepEquals(JsonSerializer.SerializeToNode(a), JsonSerializer.SerializeToNode(b));
                Assert.True(asJson == UpgradeStatusWriter.Differs(a, b),
                    $"{JsonSerializer.Serialize(a)} vs {JsonSerializer.Serialize(b)}: JSON says differs={asJson}");
            }
        }
    }

    [Fact]
    public void Equal_copies_do_not_differ()
    {
        var status = new DriverUpgradeStatus { NodeCountsByState = new() { ["upgrade-done"] = 3 }, FailedNodes = [new() { Name = "a", Reason = "r" }] };
        var copy = JsonSerializer.Deserialize<DriverUpgradeStatus>(JsonSerializer.Serialize(status));
        Assert.False(UpgradeStatusWriter.Differs(status, copy));
    }
}
