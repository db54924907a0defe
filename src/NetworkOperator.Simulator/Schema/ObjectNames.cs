using System.Text.RegularExpressions;
using NetworkOperator.Simulator.Errors;

namespace NetworkOperator.Simulator.Schema;

/// <summary>Name rules of the real server: DNS-1123 subdomains for most kinds, DNS-1123 labels for a few.</summary>
internal static partial class ObjectNames
{
    private static readonly HashSet<string> LabelNamedKinds = new(StringComparer.Ordinal) { "namespaces", "services" };

    public static StatusCause? Validate(ResourceType type, string name)
    {
        if (type.Group == "rbac.authorization.k8s.io")
        {
            // RBAC names are path segments: anything but '/', '%' and the dot names.
            return name is "." or ".." || name.Contains('/', StringComparison.Ordinal) || name.Contains('%', StringComparison.Ordinal)
                ? new StatusCause("FieldValueInvalid", $"Invalid value: \"{name}\": may not contain '/' or '%'", "metadata.name")
                : null;
        }

        if (LabelNamedKinds.Contains(type.Plural) && type.Group.Length == 0)
        {
            return name.Length <= 63 && Dns1123Label().IsMatch(name)
                ? null
                : new StatusCause("FieldValueInvalid",
                    $"Invalid value: \"{name}\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', " +
                    "and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is " +
                    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')", "metadata.name");
        }

        if (type.Kind == "CustomResourceDefinition")
        {
            return null;
        }

        return name.Length <= 253 && Dns1123Subdomain().IsMatch(name)
            ? null
            : new StatusCause("FieldValueInvalid",
                $"Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', " +
                "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is " +
                "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')", "metadata.name");
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123Subdomain();
}
