using System.Text.Json.Nodes;
using static NetworkOperator.Simulator.Validation.Json;

namespace NetworkOperator.Simulator.Validation.Kinds;

internal sealed class PodValidator : KindValidator
{
    public override string Group => "";

    public override string Kind => "Pod";

    public override void Validate(FieldErrors errors, JsonObject obj) =>
        PodSpecValidation.ValidateSpec(errors, Obj(obj, "spec"), FieldPath.Root("spec"));

    public override void ValidateUpdate(FieldErrors errors, JsonObject obj, JsonObject old) => PodUpdateValidation.Validate(errors, obj, old);
}
