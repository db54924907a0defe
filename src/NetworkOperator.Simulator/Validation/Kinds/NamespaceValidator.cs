using System.Text.Json.Nodes;
using static NetworkOperator.Simulator.Validation.Json;

namespace NetworkOperator.Simulator.Validation.Kinds;

internal sealed class NamespaceValidator : KindValidator
{
    public override string Group => "";

    public override string Kind => "Namespace";

    public override NameRule NameRule => NameRule.Dns1123Label;

    public override void Validate(FieldErrors errors, JsonObject obj)
    {
        var path = FieldPath.Root("spec").Child("finalizers");
        foreach (var item in Arr(Obj(obj, "spec"), "finalizers"))
        {
            var finalizer = GoValue.Text(item);
            errors.AddMessages(path, finalizer, NameRules.QualifiedName(finalizer));
            if (!finalizer.Contains('/', StringComparison.Ordinal) && finalizer != "kubernetes")
            {
                errors.Invalid(path, finalizer, "name is neither a standard finalizer name nor is it fully qualified");
            }
        }
    }
}
