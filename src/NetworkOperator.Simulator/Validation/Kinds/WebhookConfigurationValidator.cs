using System.Text.Json.Nodes;
using static NetworkOperator.Simulator.Validation.Json;

namespace NetworkOperator.Simulator.Validation.Kinds;

/// <summary>Validating and mutating webhook configurations (admissionregistration validation).</summary>
internal sealed class WebhookConfigurationValidator(string kind) : KindValidator
{
    private static readonly string[] Operations = ["*", "CONNECT", "CREATE", "DELETE", "UPDATE"];

    public override string Group => "admissionregistration.k8s.io";

    public override string Kind => kind;

    public override void Validate(FieldErrors errors, JsonObject obj)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (index, hook) in Items(obj, "webhooks"))
        {
            var path = FieldPath.Root("webhooks").Index(index);
            var name = Str(hook, "name");
            ValidateWebhookName(errors, name, path.Child("name"));
            if (name.Length > 0 && !names.Add(name))
            {
                errors.Duplicate(path.Child("name"), name);
            }

            foreach (var (ruleIndex, rule) in Items(hook, "rules"))
            {
                ValidateRule(errors, rule, path.Child("rules").Index(ruleIndex));
            }

            ValidateEnum(errors, hook, "failurePolicy", path, "Fail", "Ignore");
            ValidateEnum(errors, hook, "matchPolicy", path, "Equivalent", "Exact");
            if (kind == "MutatingWebhookConfiguration")
            {
                ValidateEnum(errors, hook, "reinvocationPolicy", path, "IfNeeded", "Never");
            }

            var sideEffects = Str(hook, "sideEffects");
            if (sideEffects.Length == 0)
            {
                errors.Required(path.Child("sideEffects"), "must specify one of None, NoneOnDryRun");
            }
            else if (sideEffects is not ("None" or "NoneOnDryRun"))
            {
                errors.NotSupported(path.Child("sideEffects"), sideEffects, "None", "NoneOnDryRun");
            }

            if (Int(hook, "timeoutSeconds") is { } timeout && timeout is < 1 or > 30)
            {
                errors.Invalid(path.Child("timeoutSeconds"), timeout, "the timeout value must be between 1 and 30 seconds");
            }

            ValidateReviewVersions(errors, Arr(hook, "admissionReviewVersions"), path.Child("admissionReviewVersions"));
            MetadataValidation.ValidateLabelSelector(errors, Obj(hook, "namespaceSelector"), path.Child("namespaceSelector"));
            MetadataValidation.ValidateLabelSelector(errors, Obj(hook, "objectSelector"), path.Child("objectSelector"));
            ValidateClientConfig(errors, Obj(hook, "clientConfig"), path.Child("clientConfig"));
        }
    }

    private static void ValidateWebhookName(FieldErrors errors, string name, FieldPath path)
    {
        if (name.Length == 0)
        {
            errors.Required(path);
            return;
        }

        var messages = NameRules.Dns1123Subdomain(name);
        if (messages.Count > 0)
        {
            errors.Invalid(path, name, string.Join(",", messages));
        }
        else if (name.Split('.').Length < 3)
        {
            errors.Invalid(path, name, "should be a domain with at least three segments separated by dots");
        }
    }

    private static void ValidateRule(FieldErrors errors, JsonObject rule, FieldPath path)
    {
        var operations = Arr(rule, "operations");
        if (operations.Count == 0)
        {
            errors.Required(path.Child("operations"));
        }

        for (var i = 0; i < operations.Count; i++)
        {
            var op = GoValue.Text(operations[i]);
            if (!Operations.Contains(op))
            {
                errors.NotSupported(path.Child("operations").Index(i), op, Operations);
            }
        }

        foreach (var list in new[] { "apiGroups", "apiVersions", "resources" })
        {
            if (Arr(rule, list).Count == 0)
            {
                errors.Required(path.Child(list));
            }
        }

        var scope = Str(rule, "scope");
        if (Has(rule, "scope") && scope is not ("*" or "Cluster" or "Namespaced"))
        {
            errors.NotSupported(path.Child("scope"), scope, "*", "Cluster", "Namespaced");
        }
    }

    private static void ValidateReviewVersions(FieldErrors errors, JsonArray versions, FieldPath path)
    {
        if (versions.Count == 0)
        {
            errors.Required(path, "must specify one of v1, v1beta1");
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < versions.Count; i++)
        {
            var version = GoValue.Text(versions[i]);
            errors.AddMessages(path.Index(i), version, NameRules.Dns1035Label(version));
            if (!seen.Add(version))
            {
                errors.Invalid(path.Index(i), version, "duplicate version");
            }
        }

        if (!seen.Contains("v1") && !seen.Contains("v1beta1"))
        {
            errors.InvalidPrinted(path, GoValue.StringList(versions), "must include at least one of v1, v1beta1");
        }
    }

    private static void ValidateClientConfig(FieldErrors errors, JsonObject? config, FieldPath path)
    {
        var url = Obj(config, "service") is null ? Str(config, "url") : null;
        var service = Obj(config, "service");
        if ((url is { Length: > 0 }) == (service is not null))
        {
            errors.Required(path, "exactly one of url or service is required");
            return;
        }

        if (service is null)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                errors.Invalid(path.Child("url"), url!, "host must be specified");
            }
            else if (uri.Scheme != "https")
            {
                errors.Invalid(path.Child("url"), url!, "'https' is the only allowed URL scheme");
            }

            return;
        }

        var servicePath = path.Child("service");
        if (Str(service, "name").Length == 0)
        {
            errors.Required(servicePath.Child("name"), "service name is required");
        }

        if (Str(service, "namespace").Length == 0)
        {
            errors.Required(servicePath.Child("namespace"), "service namespace is required");
        }

        var servicePathValue = Str(service, "path");
        if (servicePathValue.Length > 0 && !servicePathValue.StartsWith('/'))
        {
            errors.Invalid(servicePath.Child("path"), servicePathValue, "must start with a '/'");
        }

        if (Int(service, "port") is { } port && port is < 1 or > 65535)
        {
            errors.Invalid(servicePath.Child("port"), port, "port is not valid: " + NameRules.InclusiveRangeError(1, 65535));
        }
    }

    private static void ValidateEnum(FieldErrors errors, JsonObject hook, string field, FieldPath path, params string[] supported)
    {
        if (Has(hook, field) && !supported.Contains(Str(hook, field)))
        {
            errors.NotSupported(path.Child(field), Str(hook, field), supported);
        }
    }
}
