using System.Text.Json.Nodes;
using static NetworkOperator.Simulator.Validation.Json;

namespace NetworkOperator.Simulator.Validation.Kinds;

/// <summary>The selector and template checks the workload kinds share (apps validation).</summary>
internal static class WorkloadSelectors
{
    public static readonly FieldPath Spec = FieldPath.Root("spec");

    /// <summary>Deployment and ReplicaSet: selector required and non-empty, template labels matching it.</summary>
    public static void ValidateRequiredSelector(FieldErrors errors, JsonObject? spec, string kindName)
    {
        var selector = Obj(spec, "selector");
        if (selector is null)
        {
            errors.Required(Spec.Child("selector"));
        }
        else
        {
            MetadataValidation.ValidateLabelSelector(errors, selector, Spec.Child("selector"));
            if (MetadataValidation.IsEmpty(selector))
            {
                errors.InvalidPrinted(Spec.Child("selector"), GoValue.LabelSelector(selector), $"empty selector is invalid for {kindName}");
            }
        }

        if (!MetadataValidation.IsConvertible(selector))
        {
            errors.InvalidPrinted(Spec.Child("selector"), GoValue.LabelSelector(selector), "invalid label selector");
            return;
        }

        var template = Obj(spec, "template");
        var labels = Obj(Obj(template, "metadata"), "labels");
        if (!MetadataValidation.IsEmpty(selector) && !MetadataValidation.Matches(selector, labels))
        {
            errors.InvalidPrinted(Spec.Child("template", "metadata", "labels"), GoValue.StringMap(labels), "`selector` does not match template `labels`");
        }

        PodSpecValidation.ValidateTemplate(errors, template, Spec.Child("template"));
        ValidateAlwaysRestart(errors, template, "ReplicaSet");
    }

    public static void ValidateAlwaysRestart(FieldErrors errors, JsonObject? template, string kindName)
    {
        var templateSpec = Obj(template, "spec");
        var restartPolicy = Str(templateSpec, "restartPolicy");
        if (restartPolicy != "Always")
        {
            errors.NotSupported(Spec.Child("template", "spec", "restartPolicy"), restartPolicy, "Always");
        }

        if (Has(templateSpec, "activeDeadlineSeconds"))
        {
            errors.Forbidden(Spec.Child("template", "spec", "activeDeadlineSeconds"), $"activeDeadlineSeconds in {kindName} is not Supported");
        }
    }

    public static void ValidateNonNegative(FieldErrors errors, JsonObject? spec, params string[] fields)
    {
        foreach (var field in fields)
        {
            if (Int(spec, field) is < 0 and var value)
            {
                errors.Invalid(Spec.Child(field), value, "must be greater than or equal to 0");
            }
        }
    }

    /// <summary>An int-or-percent field: a non-negative integer or a "N%" string.</summary>
    public static void ValidateIntOrPercent(FieldErrors errors, JsonNode? value, FieldPath path)
    {
        if (value is null)
        {
            return;
        }

        if (MetadataValidation.IsString(value))
        {
            foreach (var message in NameRules.Percent(GoValue.Text(value)))
            {
                errors.InvalidPrinted(path, GoValue.IntOrString(value), message);
            }

            if (PercentOf(value) is > 100)
            {
                errors.InvalidPrinted(path, GoValue.IntOrString(value), "must not be greater than 100%");
            }
        }
        else if (NetworkOperator.Simulator.Serialization.JsonNodeExtensions.GetInt64(value) is < 0 and var number)
        {
            errors.Invalid(path, number, "must be greater than or equal to 0");
        }
    }

    /// <summary>The value of an int-or-percent as the real server compares it with zero.</summary>
    public static long IntOrPercentValue(JsonNode? value) =>
        MetadataValidation.IsString(value) ? PercentOf(value) ?? 0 : NetworkOperator.Simulator.Serialization.JsonNodeExtensions.GetInt64(value) ?? 0;

    private static long? PercentOf(JsonNode? value)
    {
        var text = GoValue.Text(value);
        return NameRules.Percent(text).Count == 0 && long.TryParse(text[..^1], out var percent) ? percent : null;
    }
}
