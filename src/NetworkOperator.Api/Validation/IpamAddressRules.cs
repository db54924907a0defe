using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NetworkOperator.Api.Validation;

/// <summary>
/// Addresses inside an <c>ipam</c> configuration, checked where the common IPAM plugins define them: host-local
/// (<c>subnet</c>, <c>rangeStart</c>, <c>rangeEnd</c>, <c>gateway</c>, <c>ranges</c>, <c>routes</c>), whereabouts
/// (<c>range</c>, <c>range_start</c>, <c>range_end</c>, <c>exclude</c>, <c>ipRanges</c>) and static
/// (<c>addresses</c>). A bad CIDR or an inverted range otherwise surfaces only when a pod fails to start.
/// Each problem names its location inside the JSON (<c>ranges[0][1].rangeEnd</c>).
/// </summary>
internal static class IpamAddressRules
{
    public static IEnumerable<string> Problems(JsonObject ipam)
    {
        var problems = new List<string>();
        CheckRange(ipam, string.Empty, "subnet", "rangeStart", "rangeEnd", problems);
        CheckWhereaboutsRange(ipam, string.Empty, problems);
        if (ipam["ranges"] is JsonArray sets)
        {
            for (var i = 0; i < sets.Count; i++)
            {
                if (sets[i] is JsonArray set)
                {
                    for (var j = 0; j < set.Count; j++)
                    {
                        if (set[j] is JsonObject range)
                        {
                            CheckRange(range, $"ranges[{i}][{j}].", "subnet", "rangeStart", "rangeEnd", problems);
                        }
                    }
                }
            }
        }

        if (ipam["ipRanges"] is JsonArray ipRanges)
        {
            for (var i = 0; i < ipRanges.Count; i++)
            {
                if (ipRanges[i] is JsonObject range)
                {
                    CheckWhereaboutsRange(range, $"ipRanges[{i}].", problems);
                }
            }
        }

        CheckList(ipam, "exclude", string.Empty, problems, (item, path) => Cidr(item, path, problems));
        CheckList(ipam, "routes", string.Empty, problems, (item, path) =>
        {
            if (item is JsonObject route)
            {
                Cidr(route["dst"], path + ".dst", problems);
                Address(route["gw"], path + ".gw", problems);
            }
        });
        CheckList(ipam, "addresses", string.Empty, problems, (item, path) =>
        {
            if (item is JsonObject address)
            {
                Cidr(address["address"], path + ".address", problems);
                Address(address["gateway"], path + ".gateway", problems);
            }
        });
        return problems;
    }

    private static void CheckRange(JsonObject obj, string prefix, string subnetKey, string startKey, string endKey, List<string> problems)
    {
        var subnet = Cidr(obj[subnetKey], prefix + subnetKey, problems);
        var start = Address(obj[startKey], prefix + startKey, problems);
        var end = Address(obj[endKey], prefix + endKey, problems);
        var gateway = Address(obj["gateway"], prefix + "gateway", problems);
        CheckOrder(start, end, prefix + startKey, prefix + endKey, problems);
        if (subnet is { } s)
        {
            foreach (var (address, key) in new[] { (start, startKey), (end, endKey), (gateway, "gateway") })
            {
                if (address is not null && !IpAddressing.Contains(s.Network, s.Prefix, address))
                {
                    problems.Add(address.AddressFamily != s.Network.AddressFamily
                        ? $"{prefix}{key}: {IpAddressing.FamilyName(address)} address in an {IpAddressing.FamilyName(s.Network)} {subnetKey}"
                        : $"{prefix}{key}: {address} is outside {subnetKey} {s.Network}/{s.Prefix}");
                }
            }
        }
    }

    private static void CheckWhereaboutsRange(JsonObject obj, string prefix, List<string> problems)
    {
        // whereabouts also takes "first-last/prefix" in range.
        (IPAddress Network, int Prefix)? subnet = null;
        if (obj["range"] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is var text
            && text.IndexOf('-', StringComparison.Ordinal) is var dash and > 0 && text.Contains('/', StringComparison.Ordinal))
        {
            var slash = text.IndexOf('/', StringComparison.Ordinal);
            var first = Address(JsonValue.Create(text[..dash]), prefix + "range", problems);
            subnet = dash < slash ? Cidr(JsonValue.Create(text[(dash + 1)..]), prefix + "range", problems) : null;
            if (dash > slash)
            {
                problems.Add($"{prefix}range: \"{text}\" is neither a CIDR nor first-last/prefix");
            }
            else if (first is not null && subnet is { } s)
            {
                CheckOrder(first, s.Network, prefix + "range", prefix + "range", problems);
            }
        }
        else
        {
            subnet = Cidr(obj["range"], prefix + "range", problems);
        }

        var start = Address(obj["range_start"], prefix + "range_start", problems);
        var end = Address(obj["range_end"], prefix + "range_end", problems);
        CheckOrder(start, end, prefix + "range_start", prefix + "range_end", problems);
        foreach (var (address, key) in new[] { (start, "range_start"), (end, "range_end") })
        {
            if (address is not null && subnet is { } s && !IpAddressing.Contains(s.Network, s.Prefix, address))
            {
                problems.Add($"{prefix}{key}: {address} is outside range {s.Network}/{s.Prefix}");
            }
        }

        CheckList(obj, "exclude", prefix, problems, (item, path) => Cidr(item, path, problems));
    }

    private static void CheckOrder(IPAddress? start, IPAddress? end, string startPath, string endPath, List<string> problems)
    {
        if (start is null || end is null)
        {
            return;
        }

        if (start.AddressFamily != end.AddressFamily)
        {
            problems.Add($"{endPath}: {IpAddressing.FamilyName(end)} address, but {startPath} is {IpAddressing.FamilyName(start)}");
        }
        else if (IpAddressing.Compare(start, end) > 0)
        {
            problems.Add($"{endPath}: {end} is before {startPath} {start}");
        }
    }

    private static void CheckList(JsonObject obj, string key, string prefix, List<string> problems, Action<JsonNode?, string> check)
    {
        switch (obj[key])
        {
            case null:
                return;
            case JsonArray list:
                for (var i = 0; i < list.Count; i++)
                {
                    check(list[i], $"{prefix}{key}[{i}]");
                }

                return;
            default:
                problems.Add($"{prefix}{key}: must be a list");
                return;
        }
    }

    private static (IPAddress Network, int Prefix)? Cidr(JsonNode? node, string path, List<string> problems)
    {
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            var text = value.GetValue<string>();
            if (IpAddressing.TryParseCidr(text, out var address, out var prefix))
            {
                return (address, prefix);
            }

            problems.Add($"{path}: \"{text}\" is not a valid CIDR (address/prefix length, e.g. 192.168.0.0/24)");
            return null;
        }

        problems.Add($"{path}: must be a string CIDR");
        return null;
    }

    private static IPAddress? Address(JsonNode? node, string path, List<string> problems)
    {
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            var text = value.GetValue<string>();
            if (IpAddressing.TryParseAddress(text, out var address))
            {
                return address;
            }

            problems.Add($"{path}: \"{text}\" is not a valid IP address");
            return null;
        }

        problems.Add($"{path}: must be a string IP address");
        return null;
    }
}
