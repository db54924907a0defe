using System.Text.Json;
using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Serialization;

namespace NetworkOperator.Simulator.Validation;

/// <summary>ObjectMeta, labels, annotations and label selectors, as apimachinery's validation checks them.</summary>
internal static class MetadataValidation
{
    public const long TotalAnnotationSizeLimit = 256 * 1024;
    private static readonly FieldPath MetadataPath = FieldPath.Root("metadata");

    /// <summary>Create and update: name (or generateName), labels, annotations, finalizers, owner references.</summary>
    public static void ValidateObjectMeta(FieldErrors errors, JsonObject obj, NameRule nameRule)
    {
        var metadata = obj["metadata"] as JsonObject ?? new JsonObject();
        var generateName = metadata.GetString("generateName");
        if (!string.IsNullOrEmpty(generateName))
        {
            errors.AddMessages(MetadataPath.Child("generateName"), generateName, nameRule.Check(generateName, prefix: true));
        }

        var name = metadata.GetString("name");
        if (string.IsNullOrEmpty(name))
        {
            errors.Required(MetadataPath.Child("name"), "name or generateName is required");
        }
        else
        {
            errors.AddMessages(MetadataPath.Child("name"), name, nameRule.Check(name, prefix: false));
        }

        if (metadata["generation"].GetInt64() is < 0 and var generation)
        {
            errors.Invalid(MetadataPath.Child("generation"), generation, "must be greater than or equal to 0");
        }

        ValidateLabels(errors, metadata["labels"] as JsonObject, MetadataPath.Child("labels"));
        ValidateAnnotations(errors, metadata["annotations"] as JsonObject, MetadataPath.Child("annotations"));
        ValidateOwnerReferences(errors, metadata["ownerReferences"] as JsonArray, MetadataPath.Child("ownerReferences"));
        ValidateFinalizers(errors, metadata["finalizers"] as JsonArray, MetadataPath.Child("finalizers"));
    }

    public static void ValidateLabels(FieldErrors errors, JsonObject? labels, FieldPath path)
    {
        if (labels is null)
        {
            return;
        }

        foreach (var (key, value) in labels)
        {
            errors.AddMessages(path, key, NameRules.QualifiedName(key));
            var text = GoValue.Text(value);
            errors.AddMessages(path, text, NameRules.LabelValue(text));
        }
    }

    public static void ValidateLabelName(FieldErrors errors, string key, FieldPath path) =>
        errors.AddMessages(path, key, NameRules.QualifiedName(key));

    public static void ValidateAnnotations(FieldErrors errors, JsonObject? annotations, FieldPath path)
    {
        if (annotations is null)
        {
            return;
        }

        long total = 0;
        foreach (var (key, value) in annotations)
        {
            errors.AddMessages(path, key, NameRules.QualifiedName(key.ToLowerInvariant()));
            total += key.Length + System.Text.Encoding.UTF8.GetByteCount(GoValue.Text(value));
        }

        if (total > TotalAnnotationSizeLimit)
        {
            errors.TooLong(path, TotalAnnotationSizeLimit);
        }
    }

    public static void ValidateFinalizers(FieldErrors errors, JsonArray? finalizers, FieldPath path)
    {
        if (finalizers is null)
        {
            return;
        }

        var orphan = false;
        var foreground = false;
        foreach (var item in finalizers)
        {
            var finalizer = GoValue.Text(item);
            errors.AddMessages(path, finalizer, NameRules.QualifiedName(finalizer));
            orphan |= finalizer == "orphan";
            foreground |= finalizer == "foregroundDeletion";
        }

        if (orphan && foreground)
        {
            errors.InvalidPrinted(path, GoValue.StringList(finalizers), "finalizer orphan and foregroundDeletion cannot be both set");
        }
    }

    private static void ValidateOwnerReferences(FieldErrors errors, JsonArray? references, FieldPath path)
    {
        if (references is null)
        {
            return;
        }

        var controllers = new List<string>();
        foreach (var reference in references.OfType<JsonObject>())
        {
            var gvk = reference.GetString("apiVersion");
            if (string.IsNullOrEmpty(gvk))
            {
                errors.Invalid(path.Child("apiVersion"), gvk ?? "", "version must not be empty");
            }

            if (string.IsNullOrEmpty(reference.GetString("kind")))
            {
                errors.Invalid(path.Child("kind"), "", "kind must not be empty");
            }

            if (string.IsNullOrEmpty(reference.GetString("name")))
            {
                errors.Invalid(path.Child("name"), "", "name must not be empty");
            }

            if (string.IsNullOrEmpty(reference.GetString("uid")))
            {
                errors.Invalid(path.Child("uid"), "", "uid must not be empty");
            }

            if (reference["controller"].GetBool() == true)
            {
                controllers.Add(reference.GetString("name") ?? "");
            }
        }

        if (controllers.Count > 1)
        {
            errors.InvalidPrinted(path, references.ToJsonString(),
                $"Only one reference can have Controller set to true. Found \"true\" in references for {string.Join(" and ", controllers)}");
        }
    }

    /// <summary>metav1 LabelSelector syntax: matchLabels as labels, matchExpressions operators and values.</summary>
    public static void ValidateLabelSelector(FieldErrors errors, JsonObject? selector, FieldPath path)
    {
        if (selector is null)
        {
            return;
        }

        ValidateLabels(errors, selector["matchLabels"] as JsonObject, path.Child("matchLabels"));
        var index = 0;
        foreach (var expression in (selector["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var expressionPath = path.Child("matchExpressions").Index(index++);
            var values = expression["values"] as JsonArray;
            var count = values?.Count ?? 0;
            var op = expression.GetString("operator") ?? "";
            switch (op)
            {
                case "In" or "NotIn":
                    if (count == 0)
                    {
                        errors.Required(expressionPath.Child("values"), "must be specified when `operator` is 'In' or 'NotIn'");
                    }

                    break;
                case "Exists" or "DoesNotExist":
                    if (count > 0)
                    {
                        errors.Forbidden(expressionPath.Child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
                    }

                    break;
                default:
                    errors.Invalid(expressionPath.Child("operator"), op, "not a valid selector operator");
                    break;
            }

            ValidateLabelName(errors, expression.GetString("key") ?? "", expressionPath.Child("key"));
            for (var i = 0; i < count; i++)
            {
                var value = GoValue.Text(values![i]);
                errors.AddMessages(expressionPath.Child("values").Index(i), value, NameRules.LabelValue(value));
            }
        }
    }

    /// <summary>Whether a label selector converts to a selector (valid operators); false is the real server's conversion error.</summary>
    public static bool IsConvertible(JsonObject? selector) =>
        selector is null || (selector["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>().All(e =>
            e.GetString("operator") switch
            {
                "In" or "NotIn" => (e["values"] as JsonArray)?.Count > 0,
                "Exists" or "DoesNotExist" => (e["values"] as JsonArray ?? []).Count == 0,
                _ => false,
            });

    /// <summary>Matches labels against a selector; a null selector matches nothing, an empty one everything.</summary>
    public static bool Matches(JsonObject? selector, JsonObject? labels)
    {
        if (selector is null)
        {
            return false;
        }

        foreach (var (key, value) in selector["matchLabels"] as JsonObject ?? [])
        {
            if (labels?[key] is not JsonValue actual || GoValue.Text(actual) != GoValue.Text(value))
            {
                return false;
            }
        }

        foreach (var expression in (selector["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = expression.GetString("key") ?? "";
            var has = labels?.ContainsKey(key) == true;
            var actual = has ? GoValue.Text(labels![key]) : null;
            var values = (expression["values"] as JsonArray ?? []).Select(GoValue.Text);
            var ok = expression.GetString("operator") switch
            {
                "In" => has && values.Contains(actual),
                "NotIn" => !has || !values.Contains(actual),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether a selector has no requirements (Go's labels.Selector Empty()).</summary>
    public static bool IsEmpty(JsonObject? selector) =>
        selector is not null && (selector["matchLabels"] as JsonObject)?.Count is null or 0
                             && (selector["matchExpressions"] as JsonArray)?.Count is null or 0;

    /// <summary>An immutable field: any change is "field is immutable" with the new value.</summary>
    public static void ValidateImmutable(FieldErrors errors, JsonNode? newValue, JsonNode? oldValue, FieldPath path, Func<JsonNode?, string>? print = null)
    {
        if (!JsonNode.DeepEquals(newValue, oldValue))
        {
            errors.InvalidPrinted(path, (print ?? GoValue.Print)(newValue), "field is immutable");
        }
    }

    public static bool IsString(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String;
}
