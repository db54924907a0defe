using System.Text.Json.Nodes;

namespace NetworkOperator.Simulator.Validation.Kinds;

internal sealed class RoleValidator : KindValidator
{
    public override string Group => PolicyRules.RbacGroup;

    public override string Kind => "Role";

    public override NameRule NameRule => NameRule.PathSegment;

    public override void Validate(FieldErrors errors, JsonObject obj)
    {
        PolicyRules.ValidateRules(errors, obj, namespaced: true);
    }
}
