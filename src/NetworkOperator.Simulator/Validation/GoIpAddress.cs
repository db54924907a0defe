using System.Net;
using System.Net.Sockets;

namespace NetworkOperator.Simulator.Validation;

/// <summary>
/// IP addresses as the real server's validation parses them (Go's net.ParseIP, the "sloppy" form that allows leading
/// zeros in IPv4): dotted quads and RFC 4291 IPv6 text only. .NET's parser alone would also take "1", "0x7f.1" and
/// zone suffixes such as "fe80::1%eth0".
/// </summary>
internal static class GoIpAddress
{
    public static bool IsValid(string value)
    {
        if (value.Contains(':', StringComparison.Ordinal))
        {
            return !value.Contains('%', StringComparison.Ordinal) && !value.StartsWith('[') &&
                IPAddress.TryParse(value, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6 && EmbeddedIpv4IsValid(value);
        }

        var parts = value.Split('.');
        return parts.Length == 4 && parts.All(IsOctet);
    }

    private static bool IsOctet(string part)
    {
        var digits = part.TrimStart('0');
        return part.Length > 0 && part.All(char.IsAsciiDigit) &&
            (digits.Length == 0 || (digits.Length <= 3 && int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture) <= 255));
    }

    // An IPv6 address may end in a dotted quad ("::ffff:10.0.0.1"); that part follows the IPv4 rules.
    private static bool EmbeddedIpv4IsValid(string value)
    {
        var last = value[(value.LastIndexOf(':') + 1)..];
        return !last.Contains('.', StringComparison.Ordinal) || IsValid(last);
    }
}
