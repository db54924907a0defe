using System.Text.Json.Nodes;
using static NetworkOperator.Simulator.Validation.Json;

namespace NetworkOperator.Simulator.Validation;

/// <summary>Tolerations, taint effects and (anti-)affinity terms, with the real server's rules and messages.</summary>
internal static class SchedulingValidation
{
    private static readonly string[] TaintEffects = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

    public static void ValidateTolerations(FieldErrors errors, JsonObject? spec, FieldPath path)
    {
        foreach (var (index, toleration) in Items(spec, "tolerations"))
        {
            var itemPath = path.Index(index);
            var key = Str(toleration, "key");
            var op = Str(toleration, "operator");
            var effect = Str(toleration, "effect");
            var value = Str(toleration, "value");
            if (key.Length > 0)
            {
                MetadataValidation.ValidateLabelName(errors, key, itemPath.Child("key"));
            }

            if (key.Length == 0 && op != "Exists")
            {
                errors.Invalid(itemPath.Child("operator"), op, "operator must be Exists when `key` is empty, which means \"match all values and all keys\"");
            }

            if (Has(toleration, "tolerationSeconds") && effect != "NoExecute")
            {
                errors.Invalid(itemPath.Child("effect"), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set");
            }

            switch (op)
            {
                case "Equal" or "":
                    var messages = NameRules.LabelValue(value);
                    if (messages.Count > 0)
                    {
                        errors.Invalid(itemPath.Child("operator"), value, string.Join(";", messages));
                    }

                    break;
                case "Exists":
                    if (value.Length > 0)
                    {
                        errors.InvalidPrinted(itemPath.Child("operator"), PrintToleration(toleration), "value must be empty when `operator` is 'Exists'");
                    }

                    break;
                default:
                    errors.NotSupported(itemPath.Child("operator"), op, "Equal", "Exists");
                    break;
            }

            if (effect.Length > 0)
            {
                ValidateTaintEffect(errors, effect, allowEmpty: true, itemPath.Child("effect"));
            }
        }
    }

    public static void ValidateTaintEffect(FieldErrors errors, string effect, bool allowEmpty, FieldPath path)
    {
        if (!allowEmpty && effect.Length == 0)
        {
            errors.Required(path);
        }

        if (!TaintEffects.Contains(effect))
        {
            errors.NotSupported(path, effect, TaintEffects);
        }
    }

    public static void ValidateAffinity(FieldErrors errors, JsonObject? affinity, FieldPath path)
    {
        if (Obj(affinity, "nodeAffinity") is { } nodeAffinity)
        {
            var nodePath = path.Child("nodeAffinity");
            if (Obj(nodeAffinity, "requiredDuringSchedulingIgnoredDuringExecution") is { } required)
            {
                ValidateNodeSelector(errors, required, nodePath.Child("requiredDuringSchedulingIgnoredDuringExecution"));
            }

            foreach (var (index, term) in Items(nodeAffinity, "preferredDuringSchedulingIgnoredDuringExecution"))
            {
                var termPath = nodePath.Child("preferredDuringSchedulingIgnoredDuringExecution").Index(index);
                ValidateWeight(errors, term, termPath);
                ValidateNodeSelectorTerm(errors, Obj(term, "preference"), termPath.Child("preference"));
            }
        }

        foreach (var kind in new[] { "podAffinity", "podAntiAffinity" })
        {
            if (Obj(affinity, kind) is not { } podAffinity)
            {
                continue;
            }

            var kindPath = path.Child(kind);
            foreach (var (index, term) in Items(podAffinity, "requiredDuringSchedulingIgnoredDuringExecution"))
            {
                ValidatePodAffinityTerm(errors, term, kindPath.Child("requiredDuringSchedulingIgnoredDuringExecution").Index(index));
            }

            foreach (var (index, term) in Items(podAffinity, "preferredDuringSchedulingIgnoredDuringExecution"))
            {
                var termPath = kindPath.Child("preferredDuringSchedulingIgnoredDuringExecution").Index(index);
                ValidateWeight(errors, term, termPath);
                ValidatePodAffinityTerm(errors, Obj(term, "podAffinityTerm") ?? new JsonObject(), termPath.Child("podAffinityTerm"));
            }
        }
    }

    public static void ValidateNodeSelector(FieldErrors errors, JsonObject selector, FieldPath path)
    {
        var termsPath = path.Child("nodeSelectorTerms");
        if (Arr(selector, "nodeSelectorTerms").Count == 0)
        {
            errors.Required(termsPath, "must have at least one node selector term");
            return;
        }

        foreach (var (index, term) in Items(selector, "nodeSelectorTerms"))
        {
            ValidateNodeSelectorTerm(errors, term, termsPath.Index(index));
        }
    }

    private static void ValidateNodeSelectorTerm(FieldErrors errors, JsonObject? term, FieldPath path)
    {
        foreach (var (index, requirement) in Items(term, "matchExpressions"))
        {
            var itemPath = path.Child("matchExpressions").Index(index);
            var values = Arr(requirement, "values");
            var op = Str(requirement, "operator");
            switch (op)
            {
                case "In" or "NotIn":
                    if (values.Count == 0)
                    {
                        errors.Required(itemPath.Child("values"), "must be specified when `operator` is 'In' or 'NotIn'");
                    }

                    break;
                case "Exists" or "DoesNotExist":
                    if (values.Count > 0)
                    {
                        errors.Forbidden(itemPath.Child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
                    }

                    break;
                case "Gt" or "Lt":
                    if (values.Count != 1)
                    {
                        errors.Required(itemPath.Child("values"), "must be specified single value when `operator` is 'Lt' or 'Gt'");
                    }

                    break;
                default:
                    errors.Invalid(itemPath.Child("operator"), op, "not a valid selector operator");
                    break;
            }

            MetadataValidation.ValidateLabelName(errors, Str(requirement, "key"), itemPath.Child("key"));
            for (var i = 0; i < values.Count; i++)
            {
                var value = GoValue.Text(values[i]);
                errors.AddMessages(itemPath.Child("values").Index(i), value, NameRules.LabelValue(value));
            }
        }

        foreach (var (index, requirement) in Items(term, "matchFields"))
        {
            var itemPath = path.Child("matchFields").Index(index);
            var values = Arr(requirement, "values");
            var op = Str(requirement, "operator");
            if (op is "In" or "NotIn")
            {
                if (values.Count != 1)
                {
                    errors.Required(itemPath.Child("values"), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector");
                }
            }
            else
            {
                errors.Invalid(itemPath.Child("operator"), op, "not a valid selector operator");
            }

            var key = Str(requirement, "key");
            if (key != "metadata.name")
            {
                errors.Invalid(itemPath.Child("key"), key, "not a valid field selector key");
            }
            else
            {
                for (var i = 0; i < values.Count; i++)
                {
                    var value = GoValue.Text(values[i]);
                    errors.AddMessages(itemPath.Child("values").Index(i), value, NameRules.Dns1123Subdomain(value));
                }
            }
        }
    }

    private static void ValidatePodAffinityTerm(FieldErrors errors, JsonObject term, FieldPath path)
    {
        MetadataValidation.ValidateLabelSelector(errors, Obj(term, "labelSelector"), path.Child("labelSelector"));
        MetadataValidation.ValidateLabelSelector(errors, Obj(term, "namespaceSelector"), path.Child("namespaceSelector"));
        foreach (var ns in Arr(term, "namespaces"))
        {
            var name = GoValue.Text(ns);
            errors.AddMessages(path.Child("namespace"), name, NameRules.Dns1123Label(name));
        }

        var topologyKey = Str(term, "topologyKey");
        if (topologyKey.Length == 0)
        {
            errors.Required(path.Child("topologyKey"), "can not be empty");
        }
        else
        {
            MetadataValidation.ValidateLabelName(errors, topologyKey, path.Child("topologyKey"));
        }
    }

    private static void ValidateWeight(FieldErrors errors, JsonObject term, FieldPath path)
    {
        var weight = Int(term, "weight") ?? 0;
        if (weight is <= 0 or > 100)
        {
            errors.Invalid(path.Child("weight"), weight, "must be in the range 1-100");
        }
    }

    private static string PrintToleration(JsonObject toleration)
    {
        var seconds = Int(toleration, "tolerationSeconds") is { } s ? $"(*int64)({s})" : "(*int64)(nil)";
        return $"core.Toleration{{Key:{GoValue.Quote(Str(toleration, "key"))}, Operator:{GoValue.Quote(Str(toleration, "operator"))}, " +
               $"Value:{GoValue.Quote(Str(toleration, "value"))}, Effect:{GoValue.Quote(Str(toleration, "effect"))}, TolerationSeconds:{seconds}}}";
    }
}
