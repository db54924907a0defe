using System.Text.RegularExpressions;

namespace NetworkOperator.Api.Validation;

/// <summary>Kubernetes naming rules (the apimachinery validation rules for labels, subdomains and extended resources).</summary>
public static partial class KubernetesNames
{
    public const int Dns1123LabelMaxLength = 63;
    public const int Dns1123SubdomainMaxLength = 253;

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123LabelPattern();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123SubdomainPattern();

    /// <summary>Device-plugin resource name without prefix (upstream webhook rule for HostDeviceNetwork).</summary>
    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex ResourceNamePattern();

    public static bool IsDns1123Label(string? value) =>
        value is { Length: > 0 and <= Dns1123LabelMaxLength } && Dns1123LabelPattern().IsMatch(value);

    public static bool IsDns1123Subdomain(string? value) =>
        value is { Length: > 0 and <= Dns1123SubdomainMaxLength } && Dns1123SubdomainPattern().IsMatch(value);

    /// <summary>A device-plugin resource name, optionally with a DNS-subdomain prefix (<c>nvidia.com/hostdev</c>).</summary>
    public static bool IsResourceName(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return ResourceNamePattern().IsMatch(value);
        }

        return IsDns1123Subdomain(value[..slash]) && ResourceNamePattern().IsMatch(value[(slash + 1)..]);
    }
}
