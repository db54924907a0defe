using System.Buffers.Binary;
using System.Net;

namespace NetworkOperator.Simulator.Cluster.DataPlane;

/// <summary>An IPv4 block as IPAM plugins describe it: a CIDR, optionally narrowed to a start/end, minus exclusions.</summary>
public sealed class Ipv4Range
{
    private readonly List<(uint First, uint Last)> _excluded = [];

    public Ipv4Range(string cidr, string? start = null, string? end = null)
    {
        (Network, PrefixLength) = ParseCidr(cidr);
        var size = PrefixLength >= 31 ? 1u << (32 - PrefixLength) : 1u << (32 - PrefixLength);
        var broadcast = Network + size - 1;
        // Network and broadcast addresses are never handed out, except in /31 and /32 blocks.
        First = start is not null ? ToUInt(IPAddress.Parse(start)) : PrefixLength >= 31 ? Network : Network + 1;
        Last = end is not null ? ToUInt(IPAddress.Parse(end)) : PrefixLength >= 31 ? broadcast : broadcast - 1;
        Cidr = cidr;
    }

    public string Cidr { get; }

    public uint Network { get; }

    public int PrefixLength { get; }

    public uint First { get; }

    public uint Last { get; }

    public void Exclude(string cidrOrAddress)
    {
        if (cidrOrAddress.Contains('/', StringComparison.Ordinal))
        {
            var (network, prefix) = ParseCidr(cidrOrAddress);
            _excluded.Add((network, network + (uint)((1UL << (32 - prefix)) - 1)));
        }
        else
        {
            var address = ToUInt(IPAddress.Parse(cidrOrAddress));
            _excluded.Add((address, address));
        }
    }

    public void ExcludeRange(string start, string end) => _excluded.Add((ToUInt(IPAddress.Parse(start)), ToUInt(IPAddress.Parse(end))));

    public bool IsUsable(uint address) => address >= First && address <= Last && !_excluded.Any(e => address >= e.First && address <= e.Last);

    public bool Contains(string address) =>
        IPAddress.TryParse(address, out var ip) && ToUInt(ip) is var value && value >= First && value <= Last;

    public static (uint Network, int Prefix) ParseCidr(string cidr)
    {
        var parts = cidr.Split('/');
        if (parts.Length != 2 || !IPAddress.TryParse(parts[0], out var ip) || ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork ||
            !int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var prefix) || prefix is < 0 or > 32)
        {
            throw new FormatException($"invalid IPv4 CIDR \"{cidr}\"");
        }

        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        return (ToUInt(ip) & mask, prefix);
    }

    public static uint ToUInt(IPAddress address) => BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());

    public static string ToText(uint address)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, address);
        return new IPAddress(bytes).ToString();
    }
}
