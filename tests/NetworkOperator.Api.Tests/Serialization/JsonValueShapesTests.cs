using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using k8s.Models;
using NetworkOperator.Api.Cni;
using NetworkOperator.Api.Serialization;
using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Api.Tests.Serialization;

public class JsonValueShapesTests
{
    [Fact]
    public void Every_value_type_shape_of_the_models_and_our_kinds_has_compiled_metadata()
    {
        var covered = typeof(JsonValueShapes).GetProperties().Select(p => p.PropertyType).ToHashSet();
        var roots = typeof(V1Pod).Assembly.GetExportedTypes()
            .Where(t => t.IsClass && t.Namespace == "k8s.Models")
            .Concat([typeof(NicClusterPolicy), typeof(NicNodePolicy), typeof(MacvlanNetwork), typeof(HostDeviceNetwork),
                typeof(IPoIBNetwork), typeof(NetworkAttachmentDefinition)]);

        var missing = Shapes(roots).Where(s => !covered.Contains(s.Shape))
            .Select(s => $"{s.Shape} (e.g. {s.Owner.Name}.{s.Property})").Distinct().ToList();

        Assert.True(missing.Count == 0, "add these to JsonValueShapes:\n" + string.Join('\n', missing));
    }

    [Fact]
    public void The_shapes_round_trip_through_the_serializer()
    {
        var shapes = new JsonValueShapes { JsonElement = JsonDocument.Parse("1").RootElement, NullableInt = 3, NullableLongList = [1, null], IntDictionary = new() { ["a"] = 1 } };

        var back = KubernetesObjectSerializer.FromJson<JsonValueShapes>(KubernetesObjectSerializer.ToJson(shapes));

        Assert.Equal(3, back.NullableInt);
        Assert.Equal([1, null], back.NullableLongList!);
        Assert.Equal(1, back.IntDictionary!["a"]);
    }

    // Value-type property shapes reachable from the roots through the properties the serializer would walk.
    private static IEnumerable<(Type Shape, Type Owner, string Property)> Shapes(IEnumerable<Type> roots)
    {
        var seen = new HashSet<Type>();
        var pending = new Queue<Type>(roots);
        while (pending.TryDequeue(out var type))
        {
            if (!seen.Add(type) || type.GetCustomAttribute<JsonConverterAttribute>() is not null)
            {
                continue;
            }

            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.GetCustomAttribute<JsonIgnoreAttribute>() is not null || property.GetIndexParameters().Length > 0)
                {
                    continue;
                }

                var shape = property.PropertyType;
                if (HasValueType(shape))
                {
                    yield return (shape, type, property.Name);
                }

                foreach (var referenced in Referenced(shape).Where(t => t.IsClass && t != typeof(string) && t.Assembly != typeof(object).Assembly))
                {
                    pending.Enqueue(referenced);
                }
            }
        }
    }

    private static bool HasValueType(Type type) =>
        type.IsValueType || (type.IsGenericType && type.GetGenericArguments().Any(HasValueType));

    private static IEnumerable<Type> Referenced(Type type) =>
        type.IsGenericType ? type.GetGenericArguments().SelectMany(Referenced).Prepend(type) : [type];
}
