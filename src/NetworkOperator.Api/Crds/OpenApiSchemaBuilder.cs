using System.Collections;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Serialization;
using k8s.Models;
using NetworkOperator.Api.Defaulting;
using NetworkOperator.Api.Schema;

namespace NetworkOperator.Api.Crds;

/// <summary>
/// Builds structural OpenAPI v3 schemas from CLR types by reflection: our API types (with their schema attributes) and
/// the KubernetesClient models they embed (node affinity, tolerations, env vars, conditions). Properties are sorted by
/// name so the output is stable across compilers and runs.
/// </summary>
internal static class OpenApiSchemaBuilder
{
    /// <summary>Pattern the API server's quantity parser accepts; lets a structural schema reject garbage early.</summary>
    internal const string QuantityPattern =
        @"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$";

    /// <summary>Required fields of KubernetesClient models; the generated models carry no attribute saying so.</summary>
    private static readonly Dictionary<Type, string[]> ForeignRequired = new()
    {
        [typeof(V1NodeSelector)] = ["nodeSelectorTerms"],
        [typeof(V1NodeSelectorRequirement)] = ["key", "operator"],
        [typeof(V1PreferredSchedulingTerm)] = ["preference", "weight"],
        [typeof(V1EnvVar)] = ["name"],
        [typeof(V1ConfigMapKeySelector)] = ["key"],
        [typeof(V1SecretKeySelector)] = ["key"],
        [typeof(V1ObjectFieldSelector)] = ["fieldPath"],
        [typeof(V1ResourceFieldSelector)] = ["resource"],
        [typeof(V1FileKeySelector)] = ["key", "path", "volumeName"],
        [typeof(V1Condition)] = ["lastTransitionTime", "message", "reason", "status", "type"],
    };

    /// <summary>
    /// Kubernetes types that server-side apply treats as one value (their Go types are marked
    /// <c>structType=atomic</c>): a CRD embedding them says so, as the built-in kinds' schemas do.
    /// </summary>
    private static readonly HashSet<Type> AtomicObjects =
    [
        typeof(V1NodeSelector), typeof(V1NodeSelectorTerm), typeof(V1ConfigMapKeySelector), typeof(V1SecretKeySelector),
        typeof(V1ObjectFieldSelector), typeof(V1ResourceFieldSelector), typeof(V1FileKeySelector),
    ];

    /// <summary>Kubernetes types whose list fields are atomic lists (<c>listType=atomic</c> in their Go types).</summary>
    private static readonly HashSet<Type> AtomicListOwners =
    [
        typeof(V1NodeAffinity), typeof(V1NodeSelector), typeof(V1NodeSelectorTerm), typeof(V1NodeSelectorRequirement),
    ];

    /// <summary>Defaults Kubernetes declares on fields of its types (<c>+default</c> markers), by (type, JSON name).</summary>
    private static readonly Dictionary<(Type, string), object> ForeignDefaults = new()
    {
        [(typeof(V1ConfigMapKeySelector), "name")] = string.Empty,
        [(typeof(V1SecretKeySelector), "name")] = string.Empty,
        [(typeof(V1FileKeySelector), "optional")] = false,
    };

    public static V1JSONSchemaProps ForType(Type type, string? description = null, ISet<Type>? visiting = null)
    {
        visiting ??= new HashSet<Type>();
        type = Nullable.GetUnderlyingType(type) ?? type;

        if (type == typeof(string))
        {
            return new V1JSONSchemaProps { Type = "string", Description = description };
        }

        if (type == typeof(bool))
        {
            return new V1JSONSchemaProps { Type = "boolean", Description = description };
        }

        // The bounds of the format, spelled out: API servers before 1.36 do not enforce `format`, so without them a value
        // that does not fit (mtu: 4294967296) is stored and then breaks every client that decodes the kind.
        if (type == typeof(int) || type == typeof(short))
        {
            return new V1JSONSchemaProps { Type = "integer", Format = "int32", Minimum = int.MinValue, Maximum = int.MaxValue, Description = description };
        }

        if (type == typeof(long))
        {
            return new V1JSONSchemaProps { Type = "integer", Format = "int64", Minimum = long.MinValue, Maximum = long.MaxValue, Description = description };
        }

        if (type == typeof(double) || type == typeof(float))
        {
            return new V1JSONSchemaProps { Type = "number", Description = description };
        }

        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            return new V1JSONSchemaProps { Type = "string", Format = "date-time", Description = description };
        }

        if (type == typeof(IntOrString))
        {
            return new V1JSONSchemaProps
            {
                AnyOf = [new V1JSONSchemaProps { Type = "integer" }, new V1JSONSchemaProps { Type = "string" }],
                Description = description,
                XKubernetesIntOrString = true,
            };
        }

        if (type == typeof(ResourceQuantity))
        {
            return new V1JSONSchemaProps
            {
                AnyOf = [new V1JSONSchemaProps { Type = "integer" }, new V1JSONSchemaProps { Type = "string" }],
                Description = description,
                Pattern = QuantityPattern,
                XKubernetesIntOrString = true,
            };
        }

        if (DictionaryValueType(type) is { } valueType)
        {
            return new V1JSONSchemaProps
            {
                Type = "object",
                Description = description,
                AdditionalProperties = ForType(valueType, null, visiting),
            };
        }

        if (ListItemType(type) is { } itemType)
        {
            var list = new V1JSONSchemaProps { Type = "array", Description = description, Items = ForType(itemType, null, visiting) };
            if (itemType == typeof(V1Condition))
            {
                list.XKubernetesListType = "map";
                list.XKubernetesListMapKeys = ["type"];
            }

            return list;
        }

        if (type == typeof(V1ObjectMeta))
        {
            return new V1JSONSchemaProps { Type = "object", Description = description };
        }

        if (type.IsClass)
        {
            return ForObject(type, description, visiting);
        }

        throw new NotSupportedException($"no schema mapping for {type}");
    }

    private static V1JSONSchemaProps ForObject(Type type, string? description, ISet<Type> visiting)
    {
        if (!visiting.Add(type))
        {
            throw new NotSupportedException($"recursive type {type} cannot have a structural schema");
        }

        var properties = new SortedDictionary<string, V1JSONSchemaProps>(StringComparer.Ordinal);
        var required = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var jsonName = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name;
            if (jsonName is null || property.GetCustomAttribute<JsonIgnoreAttribute>() is not null)
            {
                continue;
            }

            var propertySchema = ForProperty(property, visiting);
            if (AtomicListOwners.Contains(type) && propertySchema.Type == "array")
            {
                propertySchema.XKubernetesListType = "atomic";
            }

            if (ForeignDefaults.TryGetValue((type, jsonName), out var foreignDefault))
            {
                propertySchema.DefaultProperty = foreignDefault;
            }

            properties[jsonName] = propertySchema;
            if (property.GetCustomAttribute<RequiredAttribute>() is not null)
            {
                required.Add(jsonName);
            }
        }

        if (ForeignRequired.TryGetValue(type, out var foreign))
        {
            required.UnionWith(foreign);
        }

        visiting.Remove(type);
        var schema = new V1JSONSchemaProps
        {
            Type = "object",
            Description = description ?? type.GetCustomAttribute<DescriptionAttribute>()?.Description,
            Properties = properties,
            Required = required.Count == 0 ? null : required.ToList(),
        };

        if (AtomicObjects.Contains(type))
        {
            schema.XKubernetesMapType = "atomic";
        }

        if (type == typeof(V1Condition))
        {
            // The bounds metav1.Condition declares, so a status write the real API server would refuse is refused here too.
            properties["status"].EnumProperty = ["True", "False", "Unknown"];
            properties["observedGeneration"].Minimum = 0;
            properties["type"].MaxLength = 316;
            properties["type"].Pattern = @"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$";
            properties["reason"].MinLength = 1;
            properties["reason"].MaxLength = 1024;
            properties["reason"].Pattern = "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$";
            properties["message"].MaxLength = 32768;
        }

        return schema;
    }

    private static V1JSONSchemaProps ForProperty(PropertyInfo property, ISet<Type> visiting)
    {
        var schema = ForType(property.PropertyType, property.GetCustomAttribute<DescriptionAttribute>()?.Description, visiting);

        var defaultValue = SchemaDefaults.DefaultFor(property);
        if (defaultValue is not null)
        {
            schema.DefaultProperty = defaultValue is IList list ? list.Cast<object>().ToList() : defaultValue;
        }

        if (property.GetCustomAttribute<AllowedValuesAttribute>() is { } allowed)
        {
            schema.EnumProperty = allowed.Values.Where(v => v is not null).Cast<object>().ToList();
        }

        if (property.GetCustomAttribute<RegularExpressionAttribute>() is { } pattern)
        {
            schema.Pattern = pattern.Pattern;
        }

        if (property.GetCustomAttribute<MinLengthAttribute>() is { } minLength)
        {
            schema.MinLength = minLength.Length;
        }

        if (property.GetCustomAttribute<MaxLengthAttribute>() is { } maxLength)
        {
            schema.MaxLength = maxLength.Length;
        }

        if (property.GetCustomAttribute<MinimumAttribute>() is { } minimum)
        {
            schema.Minimum = minimum.Value;
        }

        var rules = property.GetCustomAttributes<CelRuleAttribute>().ToList();
        if (rules.Count > 0)
        {
            schema.XKubernetesValidations = rules.Select(r => new V1ValidationRule { Rule = r.Rule, Message = r.Message }).ToList();
        }

        if (property.GetCustomAttribute<PreserveUnknownFieldsAttribute>() is not null)
        {
            schema.XKubernetesPreserveUnknownFields = true;
        }

        return schema;
    }

    private static Type? DictionaryValueType(Type type)
    {
        var dictionary = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IDictionary<,>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        return dictionary is not null && dictionary.GetGenericArguments()[0] == typeof(string) ? dictionary.GetGenericArguments()[1] : null;
    }

    private static Type? ListItemType(Type type)
    {
        if (type == typeof(string))
        {
            return null;
        }

        if (type.IsArray)
        {
            return type.GetElementType();
        }

        var list = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IList<>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IList<>));
        return list?.GetGenericArguments()[0];
    }
}
