using System.Text;
using System.Text.RegularExpressions;

namespace NetworkOperator.Api.Validation;

/// <summary>
/// Linux network interface names as the kernel's <c>dev_valid_name</c> accepts them: 1 to 15 bytes (IFNAMSIZ minus
/// the terminating NUL), not "." or "..", and no '/', ':', whitespace or NUL.
/// </summary>
public static partial class InterfaceNames
{
    public const int MaxBytes = 15;

    /// <summary>Why <paramref name="name"/> cannot name a Linux interface, or null when it can.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "interface name must not be empty";
        }

        if (name is "." or "..")
        {
            return "interface name must not be \".\" or \"..\"";
        }

        if (Encoding.UTF8.GetByteCount(name) > MaxBytes)
        {
            return $"interface name must be at most {MaxBytes} bytes (Linux IFNAMSIZ)";
        }

        foreach (var c in name)
        {
            if (c is '/' or ':' || char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return "interface name must not contain '/', ':', whitespace or control characters";
            }
        }

        return null;
    }

    /// <summary>
    /// Whether the name is one the kernel (<c>ib0</c>) or systemd's predictable naming (<c>ibs3f0</c>, <c>ibp130s0f0</c>,
    /// <c>ibo1</c>, <c>ibP1p2s0</c>) gives an IPoIB interface. A udev rule can name an interface anything, so callers only
    /// warn on it.
    /// </summary>
    public static bool LooksLikeInfiniBand(string? name) => name is not null && InfiniBandName().IsMatch(name);

    /// <summary>Whether the name is one the kernel (<c>eth0</c>) or systemd (<c>ens2f0</c>, <c>enp3s0f0np0</c>, <c>eno1</c>, <c>enx…</c>) gives an Ethernet interface.</summary>
    public static bool LooksLikeEthernet(string? name) => name is not null && EthernetName().IsMatch(name);

    [GeneratedRegex(@"^ib(\d|[osp]\d|P\d)", RegexOptions.CultureInvariant)]
    private static partial Regex InfiniBandName();

    [GeneratedRegex(@"^(eth\d|en[osp]\d|enP\d|enx[0-9a-f]{12}$)", RegexOptions.CultureInvariant)]
    private static partial Regex EthernetName();
}
