using System.Text.Json.Nodes;
using static NetworkOperator.Simulator.Validation.Json;

namespace NetworkOperator.Simulator.Validation.Kinds;

internal sealed class DeploymentValidator : KindValidator
{
    private static readonly FieldPath Spec = WorkloadSelectors.Spec;

    public override string Group => "apps";

    public override string Kind => "Deployment";

    public override void Validate(FieldErrors errors, JsonObject obj)
    {
        var spec = Obj(obj, "spec");
        WorkloadSelectors.ValidateNonNegative(errors, spec, "replicas");
        WorkloadSelectors.ValidateRequiredSelector(errors, spec, "deployment");
        var strategy = Obj(spec, "strategy");
        var strategyPath = Spec.Child("strategy");
        switch (Str(strategy, "type"))
        {
            case "Recreate":
                if (Has(strategy, "rollingUpdate"))
                {
                    errors.Forbidden(strategyPath.Child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'");
                }

                break;
            case "RollingUpdate":
                if (Obj(strategy, "rollingUpdate") is not { } rolling)
                {
                    errors.Required(strategyPath.Child("rollingUpdate"), "this should be defaulted and never be nil");
                    break;
                }

                var rollingPath = strategyPath.Child("rollingUpdate");
                WorkloadSelectors.ValidateIntOrPercent(errors, rolling["maxUnavailable"] ?? 0, rollingPath.Child("maxUnavailable"));
                WorkloadSelectors.ValidateIntOrPercent(errors, rolling["maxSurge"] ?? 0, rollingPath.Child("maxSurge"));
                if (WorkloadSelectors.IntOrPercentValue(rolling["maxUnavailable"]) == 0 && WorkloadSelectors.IntOrPercentValue(rolling["maxSurge"]) == 0)
                {
                    errors.InvalidPrinted(rollingPath.Child("maxUnavailable"), GoValue.IntOrString(rolling["maxUnavailable"] ?? 0),
                        "may not be 0 when `maxSurge` is 0");
                }

                break;
            case var other:
                errors.NotSupported(strategyPath, other, "Recreate", "RollingUpdate");
                break;
        }

        WorkloadSelectors.ValidateNonNegative(errors, spec, "minReadySeconds", "revisionHistoryLimit", "progressDeadlineSeconds");
        if (Int(spec, "progressDeadlineSeconds") is { } deadline && deadline <= (Int(spec, "minReadySeconds") ?? 0))
        {
            errors.Invalid(Spec.Child("progressDeadlineSeconds"), deadline, "must be greater than minReadySeconds");
        }
    }

    public override void ValidateUpdate(FieldErrors errors, JsonObject obj, JsonObject old) =>
        MetadataValidation.ValidateImmutable(errors, Obj(obj, "spec")?["selector"], Obj(old, "spec")?["selector"], Spec.Child("selector"),
            s => GoValue.LabelSelector(s as JsonObject));
}
