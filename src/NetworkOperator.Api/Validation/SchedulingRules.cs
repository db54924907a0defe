using k8s.Models;
using NetworkOperator.Api.Serialization;

namespace NetworkOperator.Api.Validation;

/// <summary>
/// Tolerations and node affinity copied into the rendered pod specs, checked with the API server's pod rules so a typo
/// is refused on the policy instead of on every DaemonSet the operator writes.
/// </summary>
internal static class SchedulingRules
{
    private static readonly string[] TolerationOperators = ["Exists", "Equal"];
    private static readonly string[] TaintEffects = ["NoSchedule", "PreferNoSchedule", "NoExecute"];
    private static readonly string[] SelectorOperators = ["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"];

    public static void CheckTolerations(IReadOnlyList<V1Toleration>? tolerations, string path, ValidationCollector collector)
    {
        for (var i = 0; i < (tolerations?.Count ?? 0); i++)
        {
            var toleration = tolerations![i];
            var field = FieldPath.Index(path, i);
            if (toleration is null)
            {
                continue;
            }

            if (!string.IsNullOrEmpty(toleration.Key) && KubernetesNames.QualifiedNameProblem(toleration.Key) is { } keyProblem)
            {
                collector.Invalid(FieldPath.Child(field, "key"), toleration.Key, keyProblem);
            }

            var op = toleration.OperatorProperty;
            if (string.IsNullOrEmpty(toleration.Key) && op != "Exists")
            {
                collector.Invalid(FieldPath.Child(field, "operator"), op ?? string.Empty, "operator must be Exists when `key` is empty, which means \"match all values and all keys\"");
            }

            if (!string.IsNullOrEmpty(op) && !TolerationOperators.Contains(op))
            {
                collector.NotSupported(FieldPath.Child(field, "operator"), op, TolerationOperators);
            }
            else if (op == "Exists" && !string.IsNullOrEmpty(toleration.Value))
            {
                collector.Invalid(FieldPath.Child(field, "operator"), toleration.Value, "value must be empty when `operator` is 'Exists'");
            }
            else if (KubernetesNames.LabelValueProblem(toleration.Value) is { } valueProblem)
            {
                collector.Invalid(FieldPath.Child(field, "value"), toleration.Value, valueProblem);
            }

            if (!string.IsNullOrEmpty(toleration.Effect) && !TaintEffects.Contains(toleration.Effect))
            {
                collector.NotSupported(FieldPath.Child(field, "effect"), toleration.Effect, TaintEffects);
            }

            if (toleration.TolerationSeconds is not null && toleration.Effect != "NoExecute")
            {
                collector.Invalid(FieldPath.Child(field, "effect"), toleration.Effect ?? string.Empty, "effect must be 'NoExecute' when `tolerationSeconds` is set");
            }
        }
    }

    public static void CheckNodeAffinity(V1NodeAffinity? affinity, string path, ValidationCollector collector)
    {
        if (affinity is null)
        {
            return;
        }

        if (affinity.RequiredDuringSchedulingIgnoredDuringExecution is { } required)
        {
            var termsPath = path + ".requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms";
            for (var i = 0; i < (required.NodeSelectorTerms?.Count ?? 0); i++)
            {
                CheckTerm(required.NodeSelectorTerms![i], FieldPath.Index(termsPath, i), collector);
            }
        }

        var preferred = affinity.PreferredDuringSchedulingIgnoredDuringExecution;
        for (var i = 0; i < (preferred?.Count ?? 0); i++)
        {
            var field = FieldPath.Index(path + ".preferredDuringSchedulingIgnoredDuringExecution", i);
            if (preferred![i] is not { } item)
            {
                continue;
            }

            if (item.Weight is < 1 or > 100)
            {
                collector.Invalid(FieldPath.Child(field, "weight"), item.Weight, "must be in the range 1-100");
            }

            CheckTerm(item.Preference, FieldPath.Child(field, "preference"), collector);
        }
    }

    private static void CheckTerm(V1NodeSelectorTerm? term, string path, ValidationCollector collector)
    {
        var expressions = term?.MatchExpressions;
        for (var i = 0; i < (expressions?.Count ?? 0); i++)
        {
            if (expressions![i] is not { } expression)
            {
                continue;
            }

            var field = FieldPath.Index(path + ".matchExpressions", i);
            if (KubernetesNames.QualifiedNameProblem(expression.Key) is { } keyProblem)
            {
                collector.Invalid(FieldPath.Child(field, "key"), expression.Key ?? string.Empty, keyProblem);
            }

            var values = expression.Values ?? [];
            switch (expression.OperatorProperty)
            {
                case "In" or "NotIn":
                    if (values.Count == 0)
                    {
                        collector.Required(FieldPath.Child(field, "values"), "must be specified when `operator` is 'In' or 'NotIn'");
                    }

                    break;
                case "Exists" or "DoesNotExist":
                    if (values.Count > 0)
                    {
                        collector.Forbidden(FieldPath.Child(field, "values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
                    }

                    break;
                case "Gt" or "Lt":
                    if (values.Count != 1 || !long.TryParse(values[0], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _))
                    {
                        collector.Required(FieldPath.Child(field, "values"), "must be specified single integer value when `operator` is 'Lt' or 'Gt'");
                    }

                    break;
                default:
                    collector.NotSupported(FieldPath.Child(field, "operator"), expression.OperatorProperty ?? string.Empty, SelectorOperators);
                    break;
            }

            for (var v = 0; v < values.Count; v++)
            {
                if (expression.OperatorProperty is "In" or "NotIn" && KubernetesNames.LabelValueProblem(values[v]) is { } problem)
                {
                    collector.Invalid(FieldPath.Index(FieldPath.Child(field, "values"), v), values[v], problem);
                }
            }
        }
    }
}
