using System.Text.Json.Nodes;
using static NetworkOperator.Simulator.Validation.Json;

namespace NetworkOperator.Simulator.Validation.Kinds;

internal sealed class ReplicaSetValidator : KindValidator
{
    private static readonly FieldPath Spec = WorkloadSelectors.Spec;

    public override string Group => "apps";

    public override string Kind => "ReplicaSet";

    public override void Validate(FieldErrors errors, JsonObject obj)
    {
        var spec = Obj(obj, "spec");
        WorkloadSelectors.ValidateNonNegative(errors, spec, "replicas", "minReadySeconds");
        WorkloadSelectors.ValidateRequiredSelector(errors, spec, "deployment");
    }

    public override void ValidateUpdate(FieldErrors errors, JsonObject obj, JsonObject old) =>
        MetadataValidation.ValidateImmutable(errors, Obj(obj, "spec")?["selector"], Obj(old, "spec")?["selector"], Spec.Child("selector"),
            s => GoValue.LabelSelector(s as JsonObject));
}
