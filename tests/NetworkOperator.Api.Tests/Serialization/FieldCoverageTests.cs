using System.Collections;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using NetworkOperator.Api.Cni;
using NetworkOperator.Api.Serialization;
using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Api.Tests.Serialization;

/// <summary>Keeps the round-trip examples honest: every field of every type of ours appears in at least one example.</summary>
public class FieldCoverageTests
{
    [Fact]
    public void Full_examples_set_every_field_of_every_kind()
    {
        var examples = new (string File, Type Type)[]
        {
            ("nicclusterpolicy-full.yaml", typeof(NicClusterPolicy)),
            ("nicnodepolicy-full.yaml", typeof(NicNodePolicy)),
            ("macvlannetwork-full.yaml", typeof(MacvlanNetwork)),
            ("hostdevicenetwork-full.yaml", typeof(HostDeviceNetwork)),
            ("ipoibnetwork-full.yaml", typeof(IPoIBNetwork)),
            ("networkattachmentdefinition-full.yaml", typeof(NetworkAttachmentDefinition)),
        };

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var all = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (file, type) in examples)
        {
            Visit(YamlJson.ParseDocuments(TestFiles.Read(file)).Single().Root, type, seen);
            Collect(type, all, []);
        }

        Assert.True(all.Count > 100, $"only {all.Count} fields collected");
        Assert.Empty(all.Except(seen));
    }

    private static void Visit(JsonNode? node, Type type, HashSet<string> seen)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (node is JsonArray array && ItemType(type) is { } itemType)
        {
            foreach (var item in array)
            {
                Visit(item, itemType, seen);
            }

            return;
        }

        if (node is not JsonObject obj || !IsOwn(type))
        {
            return;
        }

        foreach (var (property, name) in JsonProperties(type))
        {
            if (obj.TryGetPropertyValue(name, out var child))
            {
                seen.Add(Key(property, name));
                Visit(child, property.PropertyType, seen);
            }
        }
    }

    private static void Collect(Type type, SortedSet<string> all, HashSet<Type> visiting)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (ItemType(type) is { } itemType)
        {
            Collect(itemType, all, visiting);
            return;
        }

        if (!IsOwn(type) || !visiting.Add(type))
        {
            return;
        }

        foreach (var (property, name) in JsonProperties(type))
        {
            all.Add(Key(property, name));
            Collect(property.PropertyType, all, visiting);
        }
    }

    private static IEnumerable<(PropertyInfo Property, string Name)> JsonProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (p, p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name))
            .Where(p => p.Name is not null)
            .Select(p => (p.p, p.Name!));

    private static string Key(PropertyInfo property, string name) => property.DeclaringType!.Name + "." + name;

    private static bool IsOwn(Type type) => type.Namespace?.StartsWith("NetworkOperator.Api", StringComparison.Ordinal) == true;

    private static Type? ItemType(Type type) =>
        type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type) && type.IsGenericType && type.GetGenericArguments().Length == 1
            ? type.GetGenericArguments()[0]
            : null;
}
