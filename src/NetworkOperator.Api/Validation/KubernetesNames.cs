using System.Text.RegularExpressions;

namespace NetworkOperator.Api.Validation;

/// <summary>
/// Kubernetes naming rules, as apimachinery's validation package defines them: DNS-1123 labels and subdomains,
/// qualified names (label and annotation keys), label values, environment variable names and extended resources.
/// Every pattern is anchored with <c>\z</c> and ASCII-only, so a trailing newline or a non-ASCII digit never passes.
/// </summary>
public static partial class KubernetesNames
{
    public const int Dns1123LabelMaxLength = 63;
    public const int Dns1123SubdomainMaxLength = 253;
    public const int QualifiedNameMaxLength = 63;
    public const int LabelValueMaxLength = 63;

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?\z")]
    private static partial Regex Dns1123LabelPattern();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\z")]
    private static partial Regex Dns1123SubdomainPattern();

    /// <summary>The name part of a qualified name, and a non-empty label value.</summary>
    [GeneratedRegex(@"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\z")]
    private static partial Regex QualifiedNamePartPattern();

    /// <summary>Device-plugin resource name without prefix (upstream webhook rule for HostDeviceNetwork).</summary>
    [GeneratedRegex(@"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\z")]
    private static partial Regex ResourceNamePattern();

    /// <summary>What a Kubernetes 1.32 server (RelaxedEnvironmentVariableValidation, on by default) accepts.</summary>
    [GeneratedRegex(@"^[\x20-\x3c\x3e-\x7e]+\z")]
    private static partial Regex RelaxedEnvVarNamePattern();

    /// <summary>What servers before 1.32 accept: a C-like identifier that may also contain '-' and '.'.</summary>
    [GeneratedRegex(@"^[-._a-zA-Z][-._a-zA-Z0-9]*\z")]
    private static partial Regex StrictEnvVarNamePattern();

    public static bool IsDns1123Label(string? value) =>
        value is { Length: > 0 and <= Dns1123LabelMaxLength } && Dns1123LabelPattern().IsMatch(value);

    public static bool IsDns1123Subdomain(string? value) =>
        value is { Length: > 0 and <= Dns1123SubdomainMaxLength } && Dns1123SubdomainPattern().IsMatch(value);

    /// <summary>Why <paramref name="value"/> is not a DNS-1123 subdomain (object names of most kinds), or null when it is one.</summary>
    public static string? Dns1123SubdomainProblem(string? value) => value switch
    {
        null or "" => "must not be empty",
        { Length: > Dns1123SubdomainMaxLength } => $"must be no more than {Dns1123SubdomainMaxLength} characters",
        _ when !Dns1123SubdomainPattern().IsMatch(value) =>
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')",
        _ => null,
    };

    /// <summary>Why <paramref name="value"/> is not a DNS-1123 label (namespace names), or null when it is one.</summary>
    public static string? Dns1123LabelProblem(string? value) => value switch
    {
        null or "" => "must not be empty",
        { Length: > Dns1123LabelMaxLength } => $"must be no more than {Dns1123LabelMaxLength} characters",
        _ when !Dns1123LabelPattern().IsMatch(value) =>
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name')",
        _ => null,
    };

    /// <summary>Why <paramref name="value"/> is not a qualified name (label or annotation key, <c>[prefix/]name</c>), or null.</summary>
    public static string? QualifiedNameProblem(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "name part must be non-empty";
        }

        var parts = value.Split('/');
        string name;
        switch (parts.Length)
        {
            case 1:
                name = parts[0];
                break;
            case 2:
                if (parts[0].Length == 0)
                {
                    return "prefix part must be non-empty";
                }

                if (Dns1123SubdomainProblem(parts[0]) is { } prefixProblem)
                {
                    return "prefix part " + prefixProblem;
                }

                name = parts[1];
                break;
            default:
                return "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
        }

        if (name.Length == 0)
        {
            return "name part must be non-empty";
        }

        if (name.Length > QualifiedNameMaxLength)
        {
            return $"name part must be no more than {QualifiedNameMaxLength} characters";
        }

        return QualifiedNamePartPattern().IsMatch(name)
            ? null
            : "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', 'my.name' or '123-abc')";
    }

    /// <summary>Why <paramref name="value"/> is not a label value (empty is fine), or null.</summary>
    public static string? LabelValueProblem(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (value.Length > LabelValueMaxLength)
        {
            return $"must be no more than {LabelValueMaxLength} characters";
        }

        return QualifiedNamePartPattern().IsMatch(value)
            ? null
            : "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', 'my_value' or '12345')";
    }

    /// <summary>Why <paramref name="value"/> cannot name an environment variable on a Kubernetes 1.32 server, or null.</summary>
    public static string? EnvVarNameProblem(string? value) => value switch
    {
        null or "" => "must not be empty",
        _ when !RelaxedEnvVarNamePattern().IsMatch(value) => "a valid environment variable name must consist only of printable ASCII characters other than '='",
        _ => null,
    };

    /// <summary>Whether servers older than 1.32 (strict environment variable names) would also accept the name.</summary>
    public static bool IsPortableEnvVarName(string? value) => value is { Length: > 0 } && StrictEnvVarNamePattern().IsMatch(value);

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
