using System.Text.Json.Nodes;

namespace NetworkOperator.Simulator.Validation.Kinds;

internal sealed class RoleBindingValidator : KindValidator
{
    public override string Group => PolicyRules.RbacGroup;

    public override string Kind => "RoleBinding";

    public override NameRule NameRule => NameRule.PathSegment;

    public override void Validate(FieldErrors errors, JsonObject obj) => PolicyRules.ValidateBinding(errors, obj, namespaced: true);

    public override void ValidateUpdate(FieldErrors errors, JsonObject obj, JsonObject old) => PolicyRules.ValidateRoleRefUnchanged(errors, obj, old);
}
