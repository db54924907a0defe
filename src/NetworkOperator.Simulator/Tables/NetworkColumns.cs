using System.Globalization;
using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Serialization;

namespace NetworkOperator.Simulator.Tables;

internal sealed partial class TableRenderer
{
    /// <summary>
    /// Endpoints, endpoint slices and network policies as the real server's printers fill them: at most three
    /// addresses or ports, then " + N more...".
    /// </summary>
    private static class NetworkColumns
    {
        private const int Shown = 3;

        public static readonly IReadOnlyList<Column> Endpoints =
        [
            NameColumn,
            new("Endpoints", "string", (o, _) => EndpointAddresses(o), Description: "The set of all endpoints is the union of all subsets."),
            AgeColumn,
        ];

        public static readonly IReadOnlyList<Column> EndpointSlice =
        [
            NameColumn,
            new("AddressType", "string", (o, _) => o.GetString("addressType") ?? "",
                Description: "addressType specifies the type of address carried by this EndpointSlice."),
            new("Ports", "string", (o, _) => SlicePorts(o), Description: "ports specifies the list of network ports exposed by each endpoint in this slice."),
            new("Endpoints", "string", (o, _) => SliceAddresses(o), Description: "endpoints is a list of unique endpoints in this slice."),
            AgeColumn,
        ];

        public static readonly IReadOnlyList<Column> NetworkPolicy =
        [
            NameColumn,
            // The pod selector is a value, not a pointer: absent, it is the empty selector, which prints as <none>.
            new("Pod-Selector", "string", (o, _) => LabelSelectorText.Of(At(o, "spec.podSelector") as JsonObject ?? []),
                Description: "Selects the pods to which this NetworkPolicy object applies."),
            AgeColumn,
        ];

        /// <summary>
        /// "ip:port" for each port of each subset and each of its ready addresses (just the ip for a subset without
        /// ports); the count behind "+ N more" is of every pair, not only those after the third.
        /// </summary>
        private static string EndpointAddresses(JsonObject endpoints)
        {
            var subsets = (endpoints["subsets"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            if (subsets.Count == 0)
            {
                return "<none>";
            }

            var list = new List<string>();
            var more = false;
            var count = 0;
            foreach (var subset in subsets)
            {
                var ips = (subset["addresses"] as JsonArray ?? []).Select(a => (a as JsonObject)?.GetString("ip") ?? "").ToList();
                var ports = (subset["ports"] as JsonArray ?? []).OfType<JsonObject>().ToList();
                if (ports.Count == 0)
                {
                    count += ips.Count;
                    more |= Take(list, ips);
                    continue;
                }

                foreach (var port in ports)
                {
                    var number = (port["port"].GetInt64() ?? 0).ToString(CultureInfo.InvariantCulture);
                    count += ips.Count;
                    more |= Take(list, ips.Select(ip => HostPort(ip, number)));
                }
            }

            var joined = string.Join(",", list);
            return more ? $"{joined} + {count - Shown} more..." : joined;
        }

        /// <summary>Adds to the shown list until it is full; true when an item did not fit.</summary>
        private static bool Take(List<string> list, IEnumerable<string> items)
        {
            foreach (var item in items)
            {
                if (list.Count == Shown)
                {
                    return true;
                }

                list.Add(item);
            }

            return false;
        }

        // As net.JoinHostPort: an IPv6 address is bracketed.
        private static string HostPort(string ip, string port) => ip.Contains(':', StringComparison.Ordinal) ? $"[{ip}]:{port}" : $"{ip}:{port}";

        /// <summary>Each port's number, else its name, else "*" (all ports).</summary>
        private static string SlicePorts(JsonObject slice) => ListWithMore((slice["ports"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(p => p["port"].GetInt64() is { } port ? port.ToString(CultureInfo.InvariantCulture)
                : p["name"] is not null ? p.GetString("name") ?? "" : "*"));

        private static string SliceAddresses(JsonObject slice) => ListWithMore((slice["endpoints"] as JsonArray ?? []).OfType<JsonObject>()
            .SelectMany(e => (e["addresses"] as JsonArray ?? []).Select(SimpleJsonPath.Text)));

        /// <summary>The first three joined by commas, " + N more..." for the rest, "&lt;unset&gt;" for none.</summary>
        private static string ListWithMore(IEnumerable<string> items)
        {
            var all = items.ToList();
            var joined = string.Join(",", all.Take(Shown));
            if (all.Count > Shown)
            {
                return $"{joined} + {all.Count - Shown} more...";
            }

            return joined.Length == 0 ? "<unset>" : joined;
        }
    }
}
