using System.Text.Json.Nodes;
using static NetworkOperator.Simulator.Validation.Json;

namespace NetworkOperator.Simulator.Validation.Kinds;

internal sealed class LeaseValidator : KindValidator
{
    public override string Group => "coordination.k8s.io";

    public override string Kind => "Lease";

    public override void Validate(FieldErrors errors, JsonObject obj)
    {
        var spec = Obj(obj, "spec");
        var path = FieldPath.Root("spec");
        if (Int(spec, "leaseDurationSeconds") is <= 0 and var duration)
        {
            errors.Invalid(path.Child("leaseDurationSeconds"), duration, "must be greater than 0");
        }

        if (Int(spec, "leaseTransitions") is < 0 and var transitions)
        {
            errors.Invalid(path.Child("leaseTransitions"), transitions, "must be greater than or equal to 0");
        }
    }
}
