using System.Text;
using System.Text.Json.Nodes;

namespace NetworkOperator.Simulator.Auth;

/// <summary>One RBAC rule (rbac.authorization.k8s.io/v1 PolicyRule).</summary>
public sealed record PolicyRule
{
    public IReadOnlyList<string> Verbs { get; init; } = [];

    public IReadOnlyList<string> ApiGroups { get; init; } = [];

    public IReadOnlyList<string> Resources { get; init; } = [];

    public IReadOnlyList<string> ResourceNames { get; init; } = [];

    public IReadOnlyList<string> NonResourceUrls { get; init; } = [];

    public static PolicyRule Parse(JsonNode? rule) => new()
    {
        Verbs = Strings(rule?["verbs"]),
        ApiGroups = Strings(rule?["apiGroups"]),
        Resources = Strings(rule?["resources"]),
        ResourceNames = Strings(rule?["resourceNames"]),
        NonResourceUrls = Strings(rule?["nonResourceURLs"]),
    };

    public static IReadOnlyList<PolicyRule> ParseAll(JsonNode? rules) =>
        rules is JsonArray array ? [.. array.Select(Parse)] : [];

    /// <summary>A resource rule: verbs on resources of API groups.</summary>
    public static PolicyRule For(IReadOnlyList<string> verbs, IReadOnlyList<string> groups, IReadOnlyList<string> resources,
        IReadOnlyList<string>? names = null) =>
        new() { Verbs = verbs, ApiGroups = groups, Resources = resources, ResourceNames = names ?? [] };

    /// <summary>A non-resource rule: verbs on URL paths.</summary>
    public static PolicyRule ForUrls(IReadOnlyList<string> verbs, IReadOnlyList<string> urls) =>
        new() { Verbs = verbs, NonResourceUrls = urls };

    public JsonObject ToJson()
    {
        var rule = new JsonObject { ["verbs"] = Array(Verbs) };
        if (ApiGroups.Count > 0 || Resources.Count > 0)
        {
            rule["apiGroups"] = Array(ApiGroups);
            rule["resources"] = Array(Resources);
        }

        if (ResourceNames.Count > 0)
        {
            rule["resourceNames"] = Array(ResourceNames);
        }

        if (NonResourceUrls.Count > 0)
        {
            rule["nonResourceURLs"] = Array(NonResourceUrls);
        }

        return rule;
    }

    /// <summary>The compact form the real server prints in escalation errors: {APIGroups:[""], Resources:["pods"], Verbs:["get"]}.</summary>
    public string CompactString()
    {
        var parts = new List<string>();
        void Add(string label, IReadOnlyList<string> values)
        {
            if (values.Count > 0)
            {
                parts.Add($"{label}:{GoQuoted(values)}");
            }
        }

        Add("APIGroups", ApiGroups);
        Add("Resources", Resources);
        Add("NonResourceURLs", NonResourceUrls);
        Add("ResourceNames", ResourceNames);
        Add("Verbs", Verbs);
        return "{" + string.Join(", ", parts) + "}";
    }

    public bool Equals(PolicyRule? other) =>
        other is not null && Verbs.SequenceEqual(other.Verbs, StringComparer.Ordinal) && ApiGroups.SequenceEqual(other.ApiGroups, StringComparer.Ordinal)
        && Resources.SequenceEqual(other.Resources, StringComparer.Ordinal) && ResourceNames.SequenceEqual(other.ResourceNames, StringComparer.Ordinal)
        && NonResourceUrls.SequenceEqual(other.NonResourceUrls, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(string.Join(',', Verbs), string.Join(',', ApiGroups), string.Join(',', Resources),
        string.Join(',', ResourceNames), string.Join(',', NonResourceUrls));

    /// <summary>Go's %q of a []string: ["a" "b"].</summary>
    internal static string GoQuoted(IEnumerable<string> values) => "[" + string.Join(' ', values.Select(GoQuote)) + "]";

    internal static string GoQuote(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ when char.IsControl(c) => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return builder.Append('"').ToString();
    }

    private static JsonArray Array(IEnumerable<string> values) => [.. values.Select(v => (JsonNode?)JsonValue.Create(v))];

    private static IReadOnlyList<string> Strings(JsonNode? node) =>
        node is JsonArray array ? [.. array.Select(n => n?.GetValueKind() == System.Text.Json.JsonValueKind.String ? n.GetValue<string>() : n?.ToJsonString() ?? "")] : [];
}
