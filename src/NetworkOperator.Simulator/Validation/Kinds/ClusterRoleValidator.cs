using System.Text.Json.Nodes;

namespace NetworkOperator.Simulator.Validation.Kinds;

internal sealed class ClusterRoleValidator : KindValidator
{
    public override string Group => PolicyRules.RbacGroup;

    public override string Kind => "ClusterRole";

    public override NameRule NameRule => NameRule.PathSegment;

    public override void Validate(FieldErrors errors, JsonObject obj)
    {
        PolicyRules.ValidateRules(errors, obj, namespaced: false);
        if (obj["aggregationRule"] is JsonObject aggregation)
        {
            var path = FieldPath.Root("aggregationRule").Child("clusterRoleSelectors");
            var selectors = aggregation["clusterRoleSelectors"] as JsonArray ?? [];
            if (selectors.Count == 0)
            {
                errors.Required(path, "at least one clusterRoleSelector required if aggregationRule is non-nil");
            }

            for (var i = 0; i < selectors.Count; i++)
            {
                MetadataValidation.ValidateLabelSelector(errors, selectors[i] as JsonObject, path.Index(i));
            }
        }
    }
}
