namespace NetworkOperator.Simulator.Validation;

/// <summary>Which syntax a kind's metadata.name follows on the real server.</summary>
internal enum NameRule
{
    Dns1123Subdomain,
    Dns1123Label,
    Dns1035Label,
    PathSegment,
}

internal static class NameRuleChecks
{
    public static IReadOnlyList<string> Check(this NameRule rule, string name, bool prefix)
    {
        var value = prefix && rule != NameRule.PathSegment ? NameRules.MaskTrailingDash(name) : name;
        return rule switch
        {
            NameRule.Dns1123Label => NameRules.Dns1123Label(value),
            NameRule.Dns1035Label => NameRules.Dns1035Label(value),
            NameRule.PathSegment => NameRules.PathSegmentName(value, prefix),
            _ => NameRules.Dns1123Subdomain(value),
        };
    }
}
