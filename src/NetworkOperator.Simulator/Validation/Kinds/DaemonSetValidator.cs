using System.Text.Json.Nodes;
using static NetworkOperator.Simulator.Validation.Json;

namespace NetworkOperator.Simulator.Validation.Kinds;

internal sealed class DaemonSetValidator : KindValidator
{
    private static readonly FieldPath Spec = WorkloadSelectors.Spec;

    public override string Group => "apps";

    public override string Kind => "DaemonSet";

    public override void Validate(FieldErrors errors, JsonObject obj)
    {
        var spec = Obj(obj, "spec");
        var selector = Obj(spec, "selector");
        var template = Obj(spec, "template");
        MetadataValidation.ValidateLabelSelector(errors, selector, Spec.Child("selector"));
        var labels = Obj(Obj(template, "metadata"), "labels");
        // A missing selector selects nothing, so it cannot match the template either.
        if (MetadataValidation.IsConvertible(selector) && !MetadataValidation.Matches(selector, labels))
        {
            errors.InvalidPrinted(Spec.Child("template", "metadata", "labels"), GoValue.StringMap(labels), "`selector` does not match template `labels`");
        }

        if (selector is not null && MetadataValidation.IsEmpty(selector))
        {
            errors.InvalidPrinted(Spec.Child("selector"), GoValue.LabelSelector(selector), "empty selector is invalid for daemonset");
        }

        PodSpecValidation.ValidateTemplate(errors, template, Spec.Child("template"));
        WorkloadSelectors.ValidateAlwaysRestart(errors, template, "DaemonSet");
        WorkloadSelectors.ValidateNonNegative(errors, spec, "minReadySeconds", "templateGeneration");
        ValidateUpdateStrategy(errors, Obj(spec, "updateStrategy"), Spec.Child("updateStrategy"));
        WorkloadSelectors.ValidateNonNegative(errors, spec, "revisionHistoryLimit");
    }

    public override void ValidateUpdate(FieldErrors errors, JsonObject obj, JsonObject old) =>
        MetadataValidation.ValidateImmutable(errors, Obj(obj, "spec")?["selector"], Obj(old, "spec")?["selector"], Spec.Child("selector"),
            s => GoValue.LabelSelector(s as JsonObject));

    private static void ValidateUpdateStrategy(FieldErrors errors, JsonObject? strategy, FieldPath path)
    {
        var type = Str(strategy, "type");
        switch (type)
        {
            case "OnDelete":
                break;
            case "RollingUpdate":
                var rolling = Obj(strategy, "rollingUpdate");
                if (rolling is null)
                {
                    errors.Required(path.Child("rollingUpdate"));
                    return;
                }

                var rollingPath = path.Child("rollingUpdate");
                WorkloadSelectors.ValidateIntOrPercent(errors, rolling["maxUnavailable"] ?? 0, rollingPath.Child("maxUnavailable"));
                WorkloadSelectors.ValidateIntOrPercent(errors, rolling["maxSurge"] ?? 0, rollingPath.Child("maxSurge"));
                var hasUnavailable = WorkloadSelectors.IntOrPercentValue(rolling["maxUnavailable"]) != 0;
                var hasSurge = WorkloadSelectors.IntOrPercentValue(rolling["maxSurge"]) != 0;
                if (hasUnavailable && hasSurge)
                {
                    errors.InvalidPrinted(rollingPath.Child("maxSurge"), GoValue.IntOrString(rolling["maxSurge"]), "may not be set when maxUnavailable is non-zero");
                }
                else if (!hasUnavailable && !hasSurge)
                {
                    errors.Required(rollingPath.Child("maxUnavailable"), "cannot be 0 when maxSurge is 0");
                }

                break;
            default:
                errors.NotSupported(path, type, "RollingUpdate", "OnDelete");
                break;
        }
    }
}
