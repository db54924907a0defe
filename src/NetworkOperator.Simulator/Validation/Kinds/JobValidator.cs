using System.Text.Json.Nodes;
using static NetworkOperator.Simulator.Validation.Json;

namespace NetworkOperator.Simulator.Validation.Kinds;

internal sealed class JobValidator : KindValidator
{
    private static readonly FieldPath Spec = FieldPath.Root("spec");

    public override string Group => "batch";

    public override string Kind => "Job";

    public override void Validate(FieldErrors errors, JsonObject obj)
    {
        var spec = Obj(obj, "spec");
        var selector = Obj(spec, "selector");
        if (selector is null)
        {
            errors.Required(Spec.Child("selector"));
        }
        else
        {
            MetadataValidation.ValidateLabelSelector(errors, selector, Spec.Child("selector"));
        }

        var template = Obj(spec, "template");
        var labels = Obj(Obj(template, "metadata"), "labels");
        if (MetadataValidation.IsConvertible(selector) && !MetadataValidation.Matches(selector, labels))
        {
            errors.InvalidPrinted(Spec.Child("template", "metadata", "labels"), GoValue.StringMap(labels), "`selector` does not match template `labels`");
        }

        WorkloadSelectors.ValidateNonNegative(errors, spec, "parallelism", "completions", "backoffLimit");
        if (Int(spec, "activeDeadlineSeconds") is < 0 and var deadline)
        {
            errors.Invalid(Spec.Child("activeDeadlineSeconds"), deadline, "must be greater than or equal to 0");
        }

        if (Int(spec, "ttlSecondsAfterFinished") is < 0 and var ttl)
        {
            errors.Invalid(Spec.Child("ttlSecondsAfterFinished"), ttl, "must be greater than or equal to 0");
        }

        var completionMode = Str(spec, "completionMode");
        if (Has(spec, "completionMode") && completionMode is not ("NonIndexed" or "Indexed"))
        {
            errors.NotSupported(Spec.Child("completionMode"), completionMode, "NonIndexed", "Indexed");
        }

        PodSpecValidation.ValidateTemplate(errors, template, Spec.Child("template"));
        var restartPolicy = Str(Obj(template, "spec"), "restartPolicy");
        if (restartPolicy is not ("OnFailure" or "Never"))
        {
            errors.NotSupported(Spec.Child("template", "spec", "restartPolicy"), restartPolicy, "OnFailure", "Never");
        }
    }

    public override void ValidateUpdate(FieldErrors errors, JsonObject obj, JsonObject old)
    {
        var spec = Obj(obj, "spec");
        var oldSpec = Obj(old, "spec");
        MetadataValidation.ValidateImmutable(errors, spec?["selector"], oldSpec?["selector"], Spec.Child("selector"),
            s => GoValue.LabelSelector(s as JsonObject));
        MetadataValidation.ValidateImmutable(errors, spec?["completions"], oldSpec?["completions"], Spec.Child("completions"));
        MetadataValidation.ValidateImmutable(errors, spec?["completionMode"], oldSpec?["completionMode"], Spec.Child("completionMode"));
        // The real server lets a suspended Job that never started change its scheduling directives; the rest of the
        // template is fixed.
        MetadataValidation.ValidateImmutable(errors, spec?["template"], oldSpec?["template"], Spec.Child("template"));
    }
}
