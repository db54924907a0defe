using System.Collections;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Serialization;
using NetworkOperator.Api.Schema;

namespace NetworkOperator.Api.Defaulting;

/// <summary>
/// Applies the defaults declared on the API types — the same attributes the CRD generator turns into schema
/// <c>default</c>s — with the API server's structural-defaulting rule: a field is defaulted when it is absent and its
/// parent object is present. One source of truth keeps offline rendering and a real cluster in agreement.
/// </summary>
internal static class SchemaDefaults
{
    private static readonly string OwnNamespacePrefix = typeof(SchemaDefaults).Namespace!.Split('.')[0] + ".";

    public static void ApplyInPlace(object target)
    {
        foreach (var property in DefaultableProperties(target.GetType()))
        {
            var value = property.GetValue(target);
            if (value is null)
            {
                var filled = DefaultFor(property);
                if (filled is not null)
                {
                    property.SetValue(target, filled);
                }

                continue;
            }

            if (value is IList list)
            {
                foreach (var item in list)
                {
                    if (item is not null && IsOwnType(item.GetType()))
                    {
                        ApplyInPlace(item);
                    }
                }
            }
            else if (IsOwnType(value.GetType()))
            {
                ApplyInPlace(value);
            }
        }
    }

    internal static object? DefaultFor(PropertyInfo property)
    {
        if (property.GetCustomAttribute<DefaultValueAttribute>() is { Value: { } declared })
        {
            var target = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            return Convert.ChangeType(declared, target, CultureInfo.InvariantCulture);
        }

        if (property.GetCustomAttribute<DefaultEmptyListAttribute>() is not null)
        {
            return Activator.CreateInstance(property.PropertyType);
        }

        return null;
    }

    private static IEnumerable<PropertyInfo> DefaultableProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.CanWrite && p.GetCustomAttribute<JsonPropertyNameAttribute>() is not null);

    private static bool IsOwnType(Type type) => type.Namespace?.StartsWith(OwnNamespacePrefix, StringComparison.Ordinal) == true;
}
