using System.Reflection;
using k8s.Models;
using NetworkOperator.Api.Serialization;
using NetworkOperator.Rendering;

namespace NetworkOperator.Controllers.Tests.Startup;

/// <summary>
/// The built-in kinds the operator renders and caches have generated JSON metadata, so the native binary never builds
/// theirs by reflection (its slowest first use); a state that starts rendering a new built-in kind fails here until the
/// kind is added to <see cref="KubernetesKindsContext"/>.
/// </summary>
public sealed class KubernetesKindsContextTests
{
    // The same options without the generated metadata for models: what the native binary used before.
    private static readonly System.Text.Json.JsonSerializerOptions ReflectionOnly = new(KubernetesObjectSerializer.StrictOptions)
    {
        TypeInfoResolver = System.Text.Json.Serialization.Metadata.JsonTypeInfoResolver.Combine(
            JsonValueShapesContext.Default, new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver()),
    };

    [Fact]
    public void Every_built_in_kind_a_state_renders_and_the_typed_caches_have_generated_metadata()
    {
        var models = typeof(V1Pod).Assembly.GetTypes()
            .Select(t => (Type: t, Entity: t.GetCustomAttribute<KubernetesEntityAttribute>()))
            .Where(m => m.Entity is not null)
            .ToLookup(m => (m.Entity!.Group ?? string.Empty, m.Entity.ApiVersion, m.Entity.Kind), m => m.Type);
        var rendered = ComponentStates.ClusterPolicy.SelectMany(s => s.OwnedKinds).Concat(ComponentStates.NodePolicy.SelectMany(s => s.OwnedKinds))
            .Select(k => models[(k.Group, k.Version, k.Kind)].SingleOrDefault())
            .OfType<Type>()
            .Distinct()
            .ToList();

        Assert.Contains(typeof(V1DaemonSet), rendered);
        Assert.Contains(typeof(V1ClusterRole), rendered);
        Assert.All(rendered.Concat([typeof(V1Pod), typeof(V1Node), typeof(V1ControllerRevision)]),
            type => Assert.True(KubernetesKindsContext.Default.GetTypeInfo(type) is not null, $"{type.Name} has no generated metadata"));
    }

    [Fact]
    public void A_model_serializes_the_same_through_the_generated_metadata_as_by_reflection()
    {
        var daemonSet = new V1DaemonSet
        {
            ApiVersion = "apps/v1",
            Kind = "DaemonSet",
            Metadata = new V1ObjectMeta { Name = "ds", NamespaceProperty = "ns", Labels = new Dictionary<string, string> { ["a"] = "b" } },
            Spec = new V1DaemonSetSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["a"] = "b" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["a"] = "b" } },
                    Spec = new V1PodSpec
                    {
                        Containers = [new V1Container { Name = "c", Image = "i", Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m") } } }],
                        Tolerations = [new V1Toleration { OperatorProperty = "Exists" }],
                    },
                },
                UpdateStrategy = new V1DaemonSetUpdateStrategy { Type = "RollingUpdate", RollingUpdate = new V1RollingUpdateDaemonSet { MaxUnavailable = "10%" } },
            },
        };

        var generated = KubernetesObjectSerializer.StrictOptions;
        var reflection = ReflectionOnly;
        var viaGenerated = System.Text.Json.JsonSerializer.Serialize(daemonSet, generated);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(daemonSet, reflection), viaGenerated);
        Assert.Contains("\"maxUnavailable\":\"10%\"", viaGenerated, StringComparison.Ordinal);
        Assert.Contains("\"cpu\":\"100m\"", viaGenerated, StringComparison.Ordinal);
        Assert.Equal(viaGenerated, System.Text.Json.JsonSerializer.Serialize(System.Text.Json.JsonSerializer.Deserialize<V1DaemonSet>(viaGenerated, generated), generated));
    }
}
