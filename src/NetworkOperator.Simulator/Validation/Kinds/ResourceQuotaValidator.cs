using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Admission.Quota;
using NetworkOperator.Simulator.Serialization;
using static NetworkOperator.Simulator.Validation.Json;

namespace NetworkOperator.Simulator.Validation.Kinds;

/// <summary>
/// ResourceQuota as ValidateResourceQuota of Kubernetes 1.32: every hard limit names a resource quota tracks (or a
/// qualified one) with a non-negative value, whole for counted resources; scopes are known, suit the limited
/// resources and do not conflict; scope selector requirements use operators their scope allows; scopes never change.
/// </summary>
internal sealed class ResourceQuotaValidator : KindValidator
{
    private static readonly HashSet<string> StandardQuotaResources = new(StringComparer.Ordinal)
    {
        "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.storage", "requests.ephemeral-storage",
        "limits.cpu", "limits.memory", "limits.ephemeral-storage", "pods", "resourcequotas", "services", "replicationcontrollers",
        "secrets", "persistentvolumeclaims", "configmaps", "services.nodeports", "services.loadbalancers",
    };

    private static readonly HashSet<string> IntegerResources = new(StringComparer.Ordinal)
    {
        "pods", "resourcequotas", "services", "replicationcontrollers", "secrets", "configmaps", "persistentvolumeclaims",
        "services.nodeports", "services.loadbalancers",
    };

    private static readonly HashSet<string> PodComputeResources = new(StringComparer.Ordinal)
    {
        "cpu", "memory", "limits.cpu", "limits.memory", "requests.cpu", "requests.memory",
    };

    private static readonly HashSet<string> Scopes = new(StringComparer.Ordinal)
    {
        "Terminating", "NotTerminating", "BestEffort", "NotBestEffort", "PriorityClass", "CrossNamespacePodAffinity",
    };

    private static readonly string[][] ConflictingScopes = [["BestEffort", "NotBestEffort"], ["Terminating", "NotTerminating"]];

    public override string Group => "";

    public override string Kind => "ResourceQuota";

    public override void Validate(FieldErrors errors, JsonObject obj)
    {
        var spec = Obj(obj, "spec") ?? new JsonObject();
        var path = FieldPath.Root("spec");
        var hard = Obj(spec, "hard") ?? new JsonObject();
        foreach (var (name, value) in hard)
        {
            ValidateResource(errors, name, value, path.Child("hard").Key(name));
        }

        var scopes = (spec["scopes"] as JsonArray ?? []).Select(s => s?.ToString() ?? "").ToList();
        var printedScopes = "[]core.ResourceQuotaScope{" + string.Join(", ", scopes.Select(GoValue.Quote)) + "}";
        var limited = hard.Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList();
        if (scopes.Count > 0)
        {
            foreach (var scope in scopes)
            {
                if (!Scopes.Contains(scope))
                {
                    errors.InvalidPrinted(path.Child("scopes"), printedScopes, "unsupported scope");
                }

                foreach (var _ in limited.Where(r => IsStandardQuotaResource(r) && !ScopeFits(scope, r)))
                {
                    errors.InvalidPrinted(path.Child("scopes"), printedScopes, "unsupported scope applied to resource");
                }
            }

            Conflicts(errors, scopes, path.Child("scopes"), printedScopes);
        }

        if (Obj(spec, "scopeSelector") is { } selector)
        {
            ValidateSelector(errors, selector, limited, path.Child("scopeSelector"), printedScopes);
        }
    }

    public override void ValidateUpdate(FieldErrors errors, JsonObject obj, JsonObject old)
    {
        static HashSet<string> ScopesOf(JsonObject quota) =>
            (Obj(quota, "spec")?["scopes"] as JsonArray ?? []).Select(s => s?.ToString() ?? "").ToHashSet(StringComparer.Ordinal);

        var scopes = ScopesOf(obj);
        if (!scopes.SetEquals(ScopesOf(old)))
        {
            var list = Obj(obj, "spec")?["scopes"] as JsonArray ?? [];
            errors.InvalidPrinted(FieldPath.Root("spec").Child("scopes"),
                "[]core.ResourceQuotaScope{" + string.Join(", ", list.Select(s => GoValue.Quote(s?.ToString() ?? ""))) + "}", "field is immutable");
        }
    }

    private static void ValidateResource(FieldErrors errors, string name, JsonNode? value, FieldPath path)
    {
        // Both checks apply to an unqualified name: "foo" gets both messages, "storage" only the quota one.
        ResourceNames.ValidateResourceName(errors, name, path);
        if (!name.Contains('/', StringComparison.Ordinal) && !IsStandardQuotaResource(name))
        {
            errors.Invalid(path, name, "must be a standard resource for quota");
        }

        if (value?.ToString() is { } text && Quantity.TryParse(text) is { } quantity)
        {
            if (quantity.Value < 0)
            {
                errors.Invalid(path, text, "must be greater than or equal to 0");
            }

            if (IsIntegerResource(name) && !quantity.IsInteger)
            {
                errors.Invalid(path, value, "must be an integer");
            }
        }
    }

    private static void ValidateSelector(FieldErrors errors, JsonObject selector, List<string> limited, FieldPath path, string printedScopes)
    {
        var expressions = path.Child("matchExpressions");
        var scopes = new List<string>();
        foreach (var requirement in (selector["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var scope = requirement.GetString("scopeName") ?? "";
            var op = requirement.GetString("operator") ?? "";
            var values = requirement["values"] as JsonArray ?? [];
            if (!Scopes.Contains(scope))
            {
                errors.Invalid(expressions.Child("scopeName"), scope, "unsupported scope");
            }

            foreach (var _ in limited.Where(r => IsStandardQuotaResource(r) && !ScopeFits(scope, r)))
            {
                errors.Invalid(expressions, selector, "unsupported scope applied to resource");
            }

            if (scope is "BestEffort" or "NotBestEffort" or "Terminating" or "NotTerminating" or "CrossNamespacePodAffinity" && op != "Exists")
            {
                errors.Invalid(expressions.Child("operator"), op,
                    "must be 'Exist' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, " +
                    "ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity");
            }

            switch (op)
            {
                case "In" or "NotIn" when values.Count == 0:
                    errors.Required(expressions.Child("values"), "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector");
                    break;
                case "Exists" or "DoesNotExist" when values.Count != 0:
                    errors.InvalidPrinted(expressions.Child("values"), GoValue.StringList(values),
                        "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector");
                    break;
                case "In" or "NotIn" or "Exists" or "DoesNotExist":
                    break;
                default:
                    errors.Invalid(expressions.Child("operator"), op, "not a valid selector operator");
                    break;
            }

            scopes.Add(scope);
        }

        // As the real server, the conflict is reported on the selector's path with the spec's scopes as the value.
        Conflicts(errors, scopes, expressions, printedScopes);
    }

    private static void Conflicts(FieldErrors errors, List<string> scopes, FieldPath path, string printedScopes)
    {
        foreach (var pair in ConflictingScopes.Where(pair => pair.All(scopes.Contains)))
        {
            errors.InvalidPrinted(path, printedScopes, "conflicting scopes");
        }
    }

    private static bool IsStandardQuotaResource(string name) => StandardQuotaResources.Contains(name) || QuotaEvaluator.IsHugePagesQuotaName(name);

    private static bool IsIntegerResource(string name) => IntegerResources.Contains(name) || QuotaEvaluator.IsExtendedResourceName(name);

    private static bool ScopeFits(string scope, string resource) => scope switch
    {
        "Terminating" or "NotTerminating" or "NotBestEffort" or "PriorityClass" or "CrossNamespacePodAffinity" =>
            resource == "pods" || PodComputeResources.Contains(resource),
        "BestEffort" => resource == "pods",
        _ => true,
    };
}
