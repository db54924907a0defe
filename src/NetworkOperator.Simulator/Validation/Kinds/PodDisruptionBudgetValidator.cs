using System.Text.Json.Nodes;
using static NetworkOperator.Simulator.Validation.Json;

namespace NetworkOperator.Simulator.Validation.Kinds;

internal sealed class PodDisruptionBudgetValidator : KindValidator
{
    public override string Group => "policy";

    public override string Kind => "PodDisruptionBudget";

    public override void Validate(FieldErrors errors, JsonObject obj)
    {
        var spec = Obj(obj, "spec");
        var path = FieldPath.Root("spec");
        if (Has(spec, "minAvailable") && Has(spec, "maxUnavailable"))
        {
            errors.InvalidPrinted(path, spec!.ToJsonString(), "minAvailable and maxUnavailable cannot be both set");
        }

        WorkloadSelectors.ValidateIntOrPercent(errors, spec?["minAvailable"], path.Child("minAvailable"));
        WorkloadSelectors.ValidateIntOrPercent(errors, spec?["maxUnavailable"], path.Child("maxUnavailable"));
        MetadataValidation.ValidateLabelSelector(errors, Obj(spec, "selector"), path.Child("selector"));
        if (Has(spec, "unhealthyPodEvictionPolicy") && Str(spec, "unhealthyPodEvictionPolicy") is not ("AlwaysAllow" or "IfHealthyBudget") and var policy)
        {
            errors.NotSupported(path.Child("unhealthyPodEvictionPolicy"), policy, "AlwaysAllow", "IfHealthyBudget");
        }
    }
}
