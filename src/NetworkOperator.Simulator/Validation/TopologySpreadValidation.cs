using System.Text.Json.Nodes;
using static NetworkOperator.Simulator.Validation.Json;

namespace NetworkOperator.Simulator.Validation;

/// <summary>A pod's <c>topologySpreadConstraints</c>, rule for rule as the real server checks them.</summary>
internal static class TopologySpreadValidation
{
    private static readonly string[] Actions = ["DoNotSchedule", "ScheduleAnyway"];
    private static readonly string[] NodeInclusionPolicies = ["Honor", "Ignore"];

    public static void Validate(FieldErrors errors, JsonObject? spec, FieldPath path)
    {
        var constraints = Items(spec, "topologySpreadConstraints").ToList();
        foreach (var (index, constraint) in constraints)
        {
            var itemPath = path.Index(index);
            var maxSkew = Int(constraint, "maxSkew") ?? 0;
            if (maxSkew <= 0)
            {
                errors.Invalid(itemPath.Child("maxSkew"), maxSkew, "must be greater than zero");
            }

            var topologyKey = Str(constraint, "topologyKey");
            if (topologyKey.Length == 0)
            {
                errors.Required(itemPath.Child("topologyKey"), "can not be empty");
            }

            var action = Str(constraint, "whenUnsatisfiable");
            if (!Actions.Contains(action))
            {
                errors.NotSupported(itemPath.Child("whenUnsatisfiable"), action, Actions);
            }

            if (constraints.Skip(index + 1).Any(c => Str(c.Item, "topologyKey") == topologyKey && Str(c.Item, "whenUnsatisfiable") == action))
            {
                errors.Duplicate(itemPath.Child("{topologyKey, whenUnsatisfiable}"), $"{{{topologyKey}, {action}}}");
            }

            if (Int(constraint, "minDomains") is { } minDomains)
            {
                if (minDomains <= 0)
                {
                    errors.Invalid(itemPath.Child("minDomains"), minDomains, "must be greater than zero");
                }

                if (action != "DoNotSchedule")
                {
                    errors.Invalid(itemPath.Child("minDomains"), minDomains, $"can only use minDomains if whenUnsatisfiable=DoNotSchedule, not {action}");
                }
            }

            foreach (var policy in new[] { "nodeAffinityPolicy", "nodeTaintsPolicy" })
            {
                if (constraint[policy] is { } value && !NodeInclusionPolicies.Contains(GoValue.Text(value)))
                {
                    errors.NotSupported(itemPath.Child(policy), GoValue.Text(value), NodeInclusionPolicies);
                }
            }

            ValidateMatchLabelKeys(errors, constraint, itemPath.Child("matchLabelKeys"));
            MetadataValidation.ValidateLabelSelector(errors, Obj(constraint, "labelSelector"), itemPath.Child("labelSelector"));
        }
    }

    private static void ValidateMatchLabelKeys(FieldErrors errors, JsonObject constraint, FieldPath path)
    {
        var keys = Arr(constraint, "matchLabelKeys");
        if (keys.Count == 0)
        {
            return;
        }

        var selector = Obj(constraint, "labelSelector");
        var selectorKeys = new HashSet<string>(StringComparer.Ordinal);
        if (selector is null)
        {
            errors.Forbidden(path, "must not be specified when labelSelector is not set");
        }
        else
        {
            selectorKeys.UnionWith(Obj(selector, "matchLabels")?.Select(kv => kv.Key) ?? []);
            selectorKeys.UnionWith(Items(selector, "matchExpressions").Select(e => Str(e.Item, "key")));
        }

        for (var i = 0; i < keys.Count; i++)
        {
            var key = GoValue.Text(keys[i]);
            MetadataValidation.ValidateLabelName(errors, key, path.Index(i));
            if (selectorKeys.Contains(key))
            {
                errors.Invalid(path.Index(i), key, "exists in both matchLabelKeys and labelSelector");
            }
        }
    }
}
