using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Serialization;
using NetworkOperator.Api.Schema;
using NetworkOperator.Api.Serialization;

namespace NetworkOperator.Api.Validation;

/// <summary>
/// The CRD schema constraints (required, enum, pattern, length, minimum), checked from the same attributes the CRD
/// generator reads. A real API server enforces them on admission; offline paths such as <c>render</c> never meet one.
/// </summary>
internal static class SchemaRules
{
    private static readonly string OwnNamespacePrefix = typeof(SchemaRules).Namespace!.Split('.')[0] + ".";

    public static void Check(object target, string path, ValidationCollector collector)
    {
        foreach (var property in target.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var jsonName = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name;
            if (jsonName is null)
            {
                continue;
            }

            var field = FieldPath.Child(path, jsonName);
            var value = property.GetValue(target);
            if (value is null)
            {
                if (property.GetCustomAttribute<RequiredAttribute>() is not null)
                {
                    collector.Required(field, $"{jsonName} is required");
                }

                continue;
            }

            CheckValue(property, field, value, collector);
            if (value is IList list)
            {
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is { } item && IsOwnType(item.GetType()))
                    {
                        Check(item, FieldPath.Index(field, i), collector);
                    }
                }
            }
            else if (IsOwnType(value.GetType()))
            {
                Check(value, field, collector);
            }
        }
    }

    private static void CheckValue(PropertyInfo property, string field, object value, ValidationCollector collector)
    {
        if (value is string text)
        {
            if (property.GetCustomAttribute<AllowedValuesAttribute>() is { } allowed && !allowed.Values.Contains(text))
            {
                collector.NotSupported(field, text, allowed.Values.Select(v => v?.ToString() ?? string.Empty));
            }

            if (property.GetCustomAttribute<RegularExpressionAttribute>() is { } pattern && !SchemaPattern.IsMatch(pattern.Pattern, text))
            {
                collector.Invalid(field, text, $"must match the pattern {pattern.Pattern}");
            }

            if (property.GetCustomAttribute<MinLengthAttribute>() is { } min && text.Length < min.Length)
            {
                collector.Invalid(field, text, $"must be at least {min.Length} characters long");
            }

            if (property.GetCustomAttribute<MaxLengthAttribute>() is { } max && text.Length > max.Length)
            {
                collector.Invalid(field, text, $"must be no more than {max.Length} characters long");
            }
        }

        if (property.GetCustomAttribute<MinimumAttribute>() is { } minimum
            && value is int or long
            && Convert.ToInt64(value, CultureInfo.InvariantCulture) < minimum.Value)
        {
            collector.Invalid(field, Convert.ToInt64(value, CultureInfo.InvariantCulture), $"must be greater than or equal to {minimum.Value}");
        }
    }

    private static bool IsOwnType(Type type) => type.Namespace?.StartsWith(OwnNamespacePrefix, StringComparison.Ordinal) == true;
}
