using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace NetworkOperator.Simulator.Cluster.Nodes;

/// <summary>
/// What a kubelet always reports about its node, filled in where a hand-written inventory leaves it out: capacity and
/// allocatable for cpu, memory, pods and ephemeral-storage (the synthetic nodes' figures; allocatable defaults to the
/// given capacity), and the InternalIP and Hostname addresses. Values the inventory gives are kept.
/// </summary>
internal sealed class NodeStatusDefaults
{
    private readonly SyntheticNodeOptions _shape;
    private readonly HashSet<string> _usedAddresses = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private uint _next;

    public NodeStatusDefaults(SyntheticNodeOptions shape, IEnumerable<JsonObject> nodes)
    {
        _shape = shape;
        foreach (var node in nodes)
        {
            if (InternalIp(node) is { } ip)
            {
                _usedAddresses.Add(ip);
            }
        }
    }

    /// <summary>Fills the missing parts of <paramref name="node"/>'s status in place.</summary>
    public void Apply(JsonObject node)
    {
        var name = (node["metadata"] as JsonObject)?["name"]?.GetValue<string>() ?? "";
        var status = node["status"] as JsonObject ?? new JsonObject();
        node["status"] = status;

        var pods = _shape.MaxPods.ToString(CultureInfo.InvariantCulture);
        var capacity = status["capacity"] as JsonObject ?? new JsonObject();
        var allocatableGiven = status["allocatable"] is JsonObject;
        var allocatable = status["allocatable"] as JsonObject ?? new JsonObject();
        status["capacity"] = capacity;
        status["allocatable"] = allocatable;
        foreach (var (resource, capacityDefault, allocatableDefault) in new[]
        {
            ("cpu", _shape.Cpu, _shape.AllocatableCpu),
            ("memory", _shape.Memory, _shape.AllocatableMemory),
            ("pods", pods, pods),
            ("ephemeral-storage", "959786032Ki", "884538805627"),
        })
        {
            var given = capacity[resource] is not null;
            if (!given)
            {
                capacity[resource] = capacityDefault;
            }

            if (allocatable[resource] is null)
            {
                // A given capacity without allocatable: the kubelet reserves nothing we could know of.
                allocatable[resource] = given || allocatableGiven ? capacity[resource]!.DeepClone() : allocatableDefault;
            }
        }

        // Extended resources given only as capacity are allocatable too, as a kubelet without reservations reports.
        foreach (var (resource, value) in capacity.ToList())
        {
            if (allocatable[resource] is null && value is not null)
            {
                allocatable[resource] = value.DeepClone();
            }
        }

        var addresses = status["addresses"] as JsonArray ?? new JsonArray();
        status["addresses"] = addresses;
        if (InternalIp(node) is null)
        {
            addresses.Insert(0, new JsonObject { ["type"] = "InternalIP", ["address"] = NextAddress() });
        }

        if (!addresses.OfType<JsonObject>().Any(a => a["type"]?.GetValue<string>() == "Hostname"))
        {
            addresses.Add(new JsonObject { ["type"] = "Hostname", ["address"] = name });
        }
    }

    private static string? InternalIp(JsonObject node) =>
        ((node["status"] as JsonObject)?["addresses"] as JsonArray)?.OfType<JsonObject>()
        .FirstOrDefault(a => a["type"]?.GetValue<string>() == "InternalIP")?["address"]?.GetValue<string>();

    // Node addresses come from 10.0.0.0/16 (x.y.z.1 to .254), skipping any the inventory already uses.
    private string NextAddress()
    {
        lock (_lock)
        {
            while (true)
            {
                var n = _next++;
                var value = (10u << 24) + (n / 254 * 256) + (n % 254) + 1;
                var text = new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]).ToString();
                if (_usedAddresses.Add(text))
                {
                    return text;
                }
            }
        }
    }
}
