using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace NetworkOperator.Api.Validation;

/// <summary>
/// IP addresses and CIDRs parsed as Go's <c>net.ParseIP</c>/<c>net.ParseCIDR</c> (which CNI plugins use) accept them:
/// IPv4 as four decimal octets 0–255 without leading zeros, IPv6 in its textual forms, prefix lengths 0–32 or 0–128
/// written in ASCII digits. .NET's own parser is laxer ("1.2.3" is 1.2.0.3), so IPv4 is checked by pattern first.
/// </summary>
public static partial class IpAddressing
{
    [GeneratedRegex(@"^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}\z")]
    private static partial Regex Ipv4Pattern();

    [GeneratedRegex(@"^[0-9A-Fa-f:.]+\z")]
    private static partial Regex Ipv6CharactersPattern();

    [GeneratedRegex(@"^(0|[1-9][0-9]{0,2})\z")]
    private static partial Regex PrefixLengthPattern();

    public static bool TryParseAddress(string? text, out IPAddress address)
    {
        address = IPAddress.None;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            return Ipv6CharactersPattern().IsMatch(text) && IPAddress.TryParse(text, out address!) && address.AddressFamily == AddressFamily.InterNetworkV6;
        }

        return Ipv4Pattern().IsMatch(text) && IPAddress.TryParse(text, out address!);
    }

    /// <summary>Parses <c>address/prefix</c>; the address may have host bits set (as in a static IPAM address).</summary>
    public static bool TryParseCidr(string? text, out IPAddress address, out int prefixLength)
    {
        address = IPAddress.None;
        prefixLength = 0;
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (text is null || slash < 0 || !TryParseAddress(text[..slash], out address))
        {
            return false;
        }

        var prefix = text[(slash + 1)..];
        if (!PrefixLengthPattern().IsMatch(prefix))
        {
            return false;
        }

        prefixLength = int.Parse(prefix, CultureInfo.InvariantCulture);
        return prefixLength <= (address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
    }

    /// <summary>-1, 0 or 1 for addresses of the same family.</summary>
    public static int Compare(IPAddress a, IPAddress b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.GetAddressBytes().AsSpan().SequenceCompareTo(b.GetAddressBytes());
    }

    /// <summary>Whether <paramref name="address"/> lies in the network <paramref name="network"/>/<paramref name="prefixLength"/>.</summary>
    public static bool Contains(IPAddress network, int prefixLength, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(address);
        if (network.AddressFamily != address.AddressFamily)
        {
            return false;
        }

        var n = network.GetAddressBytes();
        var a = address.GetAddressBytes();
        for (var bit = 0; bit < prefixLength; bit++)
        {
            var mask = (byte)(0x80 >> (bit % 8));
            if ((n[bit / 8] & mask) != (a[bit / 8] & mask))
            {
                return false;
            }
        }

        return true;
    }

    public static string FamilyName(IPAddress address) =>
        address?.AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";
}
