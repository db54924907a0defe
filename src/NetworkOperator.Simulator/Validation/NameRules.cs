using System.Text.RegularExpressions;

namespace NetworkOperator.Simulator.Validation;

/// <summary>
/// The string rules of Kubernetes' apimachinery validation (DNS-1123 labels and subdomains, DNS-1035 labels,
/// qualified names, label values, port names, config keys, env var names, percents), each returning the real
/// server's messages; an empty list means valid.
/// </summary>
internal static partial class NameRules
{
    public const int Dns1123LabelMaxLength = 63;
    public const int Dns1123SubdomainMaxLength = 253;
    private const int QualifiedNameMaxLength = 63;
    private const int LabelValueMaxLength = 63;
    private const string Dns1123LabelFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private const string Dns1123SubdomainFormat = Dns1123LabelFormat + "(\\." + Dns1123LabelFormat + ")*";
    private const string Dns1035LabelFormat = "[a-z]([-a-z0-9]*[a-z0-9])?";
    private const string QualifiedNameFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private const string QualifiedNameMessage = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    private const string ConfigKeyFormat = "[-._a-zA-Z0-9]+";
    private const string PercentFormat = "[0-9]+%";
    private const string HttpHeaderNameFormat = "[-A-Za-z0-9]+";
    private static readonly string[] None = [];

    public static string MaxLenError(int length) => $"must be no more than {length} characters";

    public static string EmptyError() => "must be non-empty";

    public static string InclusiveRangeError(long low, long high) => $"must be between {low} and {high}, inclusive";

    public static string RegexError(string message, string format, params string[] examples)
    {
        if (examples.Length == 0)
        {
            return message + " (regex used for validation is '" + format + "')";
        }

        var text = message + " (e.g. ";
        for (var i = 0; i < examples.Length; i++)
        {
            if (i > 0)
            {
                text += " or ";
            }

            text += "'" + examples[i] + "', ";
        }

        return text + "regex used for validation is '" + format + "')";
    }

    public static IReadOnlyList<string> Dns1123Label(string value)
    {
        List<string>? errors = null;
        if (value.Length > Dns1123LabelMaxLength)
        {
            (errors ??= []).Add(MaxLenError(Dns1123LabelMaxLength));
        }

        if (!Dns1123LabelRegex().IsMatch(value))
        {
            (errors ??= []).Add(Dns1123SubdomainRegex().IsMatch(value)
                ? "must not contain dots"
                : RegexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
                    Dns1123LabelFormat, "my-name", "123-abc"));
        }

        return errors ?? (IReadOnlyList<string>)None;
    }

    public static IReadOnlyList<string> Dns1123Subdomain(string value)
    {
        List<string>? errors = null;
        if (value.Length > Dns1123SubdomainMaxLength)
        {
            (errors ??= []).Add(MaxLenError(Dns1123SubdomainMaxLength));
        }

        if (!Dns1123SubdomainRegex().IsMatch(value))
        {
            (errors ??= []).Add(RegexError(
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
                Dns1123SubdomainFormat, "example.com"));
        }

        return errors ?? (IReadOnlyList<string>)None;
    }

    public static IReadOnlyList<string> Dns1035Label(string value)
    {
        List<string>? errors = null;
        if (value.Length > Dns1123LabelMaxLength)
        {
            (errors ??= []).Add(MaxLenError(Dns1123LabelMaxLength));
        }

        if (!Dns1035LabelRegex().IsMatch(value))
        {
            (errors ??= []).Add(RegexError(
                "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
                Dns1035LabelFormat, "my-name", "abc-123"));
        }

        return errors ?? (IReadOnlyList<string>)None;
    }

    /// <summary>Label keys, annotation keys and other "qualified names": an optional DNS subdomain prefix and a name.</summary>
    public static IReadOnlyList<string> QualifiedName(string value)
    {
        var errors = new List<string>();
        var parts = value.Split('/');
        string name;
        switch (parts.Length)
        {
            case 1:
                name = parts[0];
                break;
            case 2:
                var prefix = parts[0];
                name = parts[1];
                if (prefix.Length == 0)
                {
                    errors.Add("prefix part " + EmptyError());
                }
                else
                {
                    errors.AddRange(Dns1123Subdomain(prefix).Select(m => "prefix part " + m));
                }

                break;
            default:
                return ["a qualified name " + RegexError(QualifiedNameMessage, QualifiedNameFormat, "MyName", "my.name", "123-abc") +
                        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"];
        }

        if (name.Length == 0)
        {
            errors.Add("name part " + EmptyError());
        }
        else if (name.Length > QualifiedNameMaxLength)
        {
            errors.Add("name part " + MaxLenError(QualifiedNameMaxLength));
        }

        if (!QualifiedNameRegex().IsMatch(name))
        {
            errors.Add("name part " + RegexError(QualifiedNameMessage, QualifiedNameFormat, "MyName", "my.name", "123-abc"));
        }

        return errors;
    }

    public static IReadOnlyList<string> LabelValue(string value)
    {
        List<string>? errors = null;
        if (value.Length > LabelValueMaxLength)
        {
            (errors ??= []).Add(MaxLenError(LabelValueMaxLength));
        }

        if (value.Length > 0 && !QualifiedNameRegex().IsMatch(value))
        {
            (errors ??= []).Add(RegexError(
                "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
                "(" + QualifiedNameFormat + ")?", "MyValue", "my_value", "12345"));
        }

        return errors ?? (IReadOnlyList<string>)None;
    }

    public static IReadOnlyList<string> PortNumber(long port) => port is >= 1 and <= 65535 ? None : [InclusiveRangeError(1, 65535)];

    public static IReadOnlyList<string> PortName(string port)
    {
        var errors = new List<string>();
        if (port.Length > 15)
        {
            errors.Add(MaxLenError(15));
        }

        if (!PortNameCharsRegex().IsMatch(port))
        {
            errors.Add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        }

        if (!port.Any(c => c is >= 'a' and <= 'z'))
        {
            errors.Add("must contain at least one letter (a-z)");
        }

        if (port.Contains("--", StringComparison.Ordinal))
        {
            errors.Add("must not contain consecutive hyphens");
        }

        if (port.Length > 0 && (port[0] == '-' || port[^1] == '-'))
        {
            errors.Add("must not begin or end with a hyphen");
        }

        return errors;
    }

    public static IReadOnlyList<string> ConfigMapKey(string value)
    {
        var errors = new List<string>();
        if (value.Length > Dns1123SubdomainMaxLength)
        {
            errors.Add(MaxLenError(Dns1123SubdomainMaxLength));
        }

        if (!ConfigKeyRegex().IsMatch(value))
        {
            errors.Add(RegexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", ConfigKeyFormat,
                "key.name", "KEY_NAME", "key-name"));
        }

        if (value == ".")
        {
            errors.Add("must not be '.'");
        }
        else if (value == "..")
        {
            errors.Add("must not be '..'");
        }
        else if (value.StartsWith("..", StringComparison.Ordinal))
        {
            errors.Add("must not start with '..'");
        }

        return errors;
    }

    /// <summary>
    /// Env var names as kube-apiserver 1.32 checks them: its RelaxedEnvironmentVariableValidation gate is beta and on
    /// by default there, so any printable ASCII but '=' is accepted.
    /// </summary>
    public static IReadOnlyList<string> EnvVarName(string value)
    {
        var errors = new List<string>();
        if (value.Length == 0)
        {
            errors.Add("environment variable name " + EmptyError());
        }

        if (value.Any(c => c > 0x7e || c < 0x20 || c == '='))
        {
            errors.Add("a valid environment variable name must consist only of printable ASCII characters other than '='");
        }

        return errors;
    }

    public static IReadOnlyList<string> Percent(string value) =>
        PercentRegex().IsMatch(value) ? None : [RegexError("a valid percent string must be a numeric string followed by an ending '%'", PercentFormat, "1%", "93%")];

    public static IReadOnlyList<string> HttpHeaderName(string value) =>
        HttpHeaderNameRegex().IsMatch(value) ? None
            : [RegexError("a valid HTTP header must consist of alphanumeric characters or '-'", HttpHeaderNameFormat, "X-Header-Name")];

    /// <summary>Names that are path segments (RBAC objects and the generic fallback): not "." or "..", no '/' or '%'.</summary>
    public static IReadOnlyList<string> PathSegmentName(string name, bool prefix)
    {
        if (!prefix && name is "." or "..")
        {
            return [$"may not be '{name}'"];
        }

        var errors = new List<string>();
        if (name.Contains('/', StringComparison.Ordinal))
        {
            errors.Add("may not contain '/'");
        }

        if (name.Contains('%', StringComparison.Ordinal))
        {
            errors.Add("may not contain '%'");
        }

        return errors;
    }

    /// <summary>generateName prefixes may end in '-': the real server masks a trailing dash before checking.</summary>
    public static string MaskTrailingDash(string name) => name.Length > 1 && name[^1] == '-' ? name[..^1] + "a" : name;

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?\\z")]
    private static partial Regex Dns1123LabelRegex();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\z")]
    private static partial Regex Dns1123SubdomainRegex();

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?\\z")]
    private static partial Regex Dns1035LabelRegex();

    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\\z")]
    private static partial Regex QualifiedNameRegex();

    [GeneratedRegex("^[-a-z0-9]+\\z")]
    private static partial Regex PortNameCharsRegex();

    [GeneratedRegex("^[-._a-zA-Z0-9]+\\z")]
    private static partial Regex ConfigKeyRegex();

    [GeneratedRegex("^[0-9]+%\\z")]
    private static partial Regex PercentRegex();

    [GeneratedRegex("^[-A-Za-z0-9]+\\z")]
    private static partial Regex HttpHeaderNameRegex();
}
