using System.Reflection;
using k8s;
using k8s.Models;
using NetworkOperator.Api.Cni;
using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Api.Tests.Kinds;

public class ResourceKindsTests
{
    [Fact]
    public void Every_kind_of_this_project_takes_its_scope_from_its_type()
    {
        foreach (var kind in ResourceKinds.All)
        {
            var declared = kind.ClrType!.GetCustomAttribute<EntityScopeAttribute>();
            Assert.NotNull(declared);
            Assert.Equal(declared.Scope == EntityScope.Namespaced, kind.Namespaced);
            Assert.Same(kind, ResourceKinds.For(kind.ClrType!));
        }

        Assert.False(ResourceKinds.For<NicClusterPolicy>().Namespaced);
        Assert.False(ResourceKinds.For<IPoIBNetwork>().Namespaced);
        Assert.True(ResourceKinds.For<NetworkAttachmentDefinition>().Namespaced);
    }

    [Fact]
    public void The_identity_comes_from_the_entity_attribute_and_the_extras_stay_on_the_catalog_kinds()
    {
        var ncp = ResourceKinds.For<NicClusterPolicy>();
        Assert.Equal(("mellanox.com", "v1alpha1", "NicClusterPolicy", "nicclusterpolicies"), (ncp.Group, ncp.Version, ncp.Kind, ncp.Plural));
        Assert.Equal(["ncp"], ncp.ShortNames);
        Assert.Equal("nicclusterpolicies.mellanox.com", ncp.Resource);
        Assert.Equal("network-attachment-definition", ResourceKinds.NetworkAttachmentDefinition.Singular);
    }

    [Fact]
    public void Built_in_models_are_namespaced_unless_listed_as_cluster_scoped()
    {
        Assert.True(ResourceKinds.For<V1Pod>().Namespaced);
        Assert.True(ResourceKinds.For<V1RoleBinding>().Namespaced);
        Assert.False(ResourceKinds.For<V1Node>().Namespaced);
        Assert.False(ResourceKinds.For<V1CustomResourceDefinition>().Namespaced);
        Assert.Equal(new ResourceKind("apps", "v1", "DaemonSet", "daemonsets", true), ResourceKinds.For<V1DaemonSet>());
    }

    [Fact]
    public void Equality_is_the_api_identity_not_the_descriptive_extras()
    {
        var bare = new ResourceKind("mellanox.com", "v1alpha1", "NicClusterPolicy", "nicclusterpolicies", false);
        Assert.Equal(bare, ResourceKinds.NicClusterPolicy);
        Assert.Equal(bare.GetHashCode(), ResourceKinds.NicClusterPolicy.GetHashCode());
        Assert.NotEqual(bare with { Namespaced = true }, ResourceKinds.NicClusterPolicy);
    }

    [Fact]
    public void A_custom_model_without_a_declared_scope_is_refused_with_the_fix()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ResourceKinds.For<Unscoped>());
        Assert.Contains("Unscoped", error.Message, StringComparison.Ordinal);
        Assert.Contains("[EntityScope(", error.Message, StringComparison.Ordinal);
        Assert.False(ResourceKinds.For<Scoped>().Namespaced);
    }

    [Fact]
    public void A_model_without_an_entity_attribute_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ResourceKinds.For<NoEntity>());
        Assert.Contains("[KubernetesEntity]", error.Message, StringComparison.Ordinal);
    }

    [KubernetesEntity(Group = "example.com", ApiVersion = "v1", Kind = "Unscoped", PluralName = "unscopeds")]
    private sealed class Unscoped : IKubernetesObject<V1ObjectMeta>
    {
        public string ApiVersion { get; set; } = "example.com/v1";

        public string Kind { get; set; } = "Unscoped";

        public V1ObjectMeta Metadata { get; set; } = new();
    }

    [KubernetesEntity(Group = "example.com", ApiVersion = "v1", Kind = "Scoped", PluralName = "scopeds")]
    [EntityScope(EntityScope.Cluster)]
    private sealed class Scoped : IKubernetesObject<V1ObjectMeta>
    {
        public string ApiVersion { get; set; } = "example.com/v1";

        public string Kind { get; set; } = "Scoped";

        public V1ObjectMeta Metadata { get; set; } = new();
    }

    private sealed class NoEntity : IKubernetesObject<V1ObjectMeta>
    {
        public string ApiVersion { get; set; } = "example.com/v1";

        public string Kind { get; set; } = "NoEntity";

        public V1ObjectMeta Metadata { get; set; } = new();
    }
}
