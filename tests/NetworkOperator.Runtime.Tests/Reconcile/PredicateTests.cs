using k8s.Models;
using NetworkOperator.Api;
using NetworkOperator.Runtime.Reconcile;

namespace NetworkOperator.Runtime.Tests.Reconcile;

public class PredicateTests
{
    private static V1Deployment Deployment(long generation = 1, string rv = "1", Dictionary<string, string>? labels = null,
        Dictionary<string, string>? annotations = null, int replicas = 1, int readyReplicas = 0) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "d",
            NamespaceProperty = "ns",
            Generation = generation,
            ResourceVersion = rv,
            Labels = labels,
            Annotations = annotations,
            ManagedFields = [new V1ManagedFieldsEntry { Manager = rv }],
        },
        Spec = new V1DeploymentSpec { Replicas = replicas, Selector = new V1LabelSelector(), Template = new V1PodTemplateSpec() },
        Status = new V1DeploymentStatus { ReadyReplicas = readyReplicas },
    };

    [Fact]
    public void Generation_changed_passes_spec_changes_only()
    {
        var p = Predicates.GenerationChanged<V1Deployment>();
        Assert.True(p.Update(Deployment(1), Deployment(2)));
        Assert.False(p.Update(Deployment(1, "1"), Deployment(1, "2", readyReplicas: 1)));
        Assert.True(p.Create(Deployment()));
        Assert.True(p.Delete(Deployment()));
    }

    [Fact]
    public void Label_and_annotation_changed_compare_maps()
    {
        var labels = Predicates.LabelChanged<V1Deployment>();
        Assert.True(labels.Update(Deployment(labels: new() { ["a"] = "1" }), Deployment(labels: new() { ["a"] = "2" })));
        Assert.True(labels.Update(Deployment(), Deployment(labels: new() { ["a"] = "1" })));
        Assert.False(labels.Update(Deployment(labels: new() { ["a"] = "1" }), Deployment(rv: "2", labels: new() { ["a"] = "1" })));
        Assert.False(labels.Update(Deployment(labels: []), Deployment()));

        var annotations = Predicates.AnnotationChanged<V1Deployment>();
        Assert.True(annotations.Update(Deployment(), Deployment(annotations: new() { ["x"] = "y" })));
        Assert.False(annotations.Update(Deployment(annotations: new() { ["x"] = "y" }), Deployment(annotations: new() { ["x"] = "y" })));
    }

    [Fact]
    public void Content_changed_ignores_resource_version_managed_fields_and_status()
    {
        var p = Predicates.ContentChanged<V1Deployment>();
        Assert.False(p.Update(Deployment(rv: "1"), Deployment(rv: "2", readyReplicas: 3)));
        Assert.True(p.Update(Deployment(rv: "1"), Deployment(rv: "2", replicas: 2)));
        Assert.True(p.Update(Deployment(), Deployment(labels: new() { ["a"] = "b" })));
        var same = Deployment();
        Assert.False(p.Update(same, same));
    }

    [Fact]
    public void Or_and_where_combine()
    {
        var p = Predicates.Or(Predicates.GenerationChanged<V1Deployment>(), Predicates.LabelChanged<V1Deployment>());
        Assert.True(p.Update(Deployment(1), Deployment(1, labels: new() { ["a"] = "b" })));
        Assert.False(p.Update(Deployment(1), Deployment(1, "2")));

        var named = Predicates.Where<V1Deployment>(d => d.Metadata.Name == "d");
        Assert.True(named.Create(Deployment()));
    }

    [Fact]
    public void Controller_owner_mapping_uses_only_the_controller_reference_of_the_owner_kind()
    {
        var owner = new ResourceKind("apps", "v1", "Deployment", "deployments", true);
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = "p",
                NamespaceProperty = "ns",
                OwnerReferences =
                [
                    new V1OwnerReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "not-controller", Uid = "1" },
                    new V1OwnerReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "d", Uid = "2", Controller = true },
                    new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "cm", Uid = "3", Controller = true },
                ],
            },
        };

        Assert.Equal([new ObjectKey("ns", "d")], Mappings.ControllerOwner<V1Pod>(owner)(pod));

        var clusterOwner = new ResourceKind("mellanox.com", "v1alpha1", "NicClusterPolicy", "nicclusterpolicies", false);
        pod.Metadata.OwnerReferences.Add(new V1OwnerReference
        {
            ApiVersion = "mellanox.com/v1alpha1", Kind = "NicClusterPolicy", Name = "nic-cluster-policy", Uid = "4", Controller = true,
        });
        Assert.Equal([new ObjectKey(null, "nic-cluster-policy")], Mappings.ControllerOwner<V1Pod>(clusterOwner)(pod));
    }

    [Fact]
    public void Object_keys_parse_and_print_like_kubernetes()
    {
        Assert.Equal(new ObjectKey("ns", "a"), ObjectKey.Parse("ns/a"));
        Assert.Equal(new ObjectKey(null, "node1"), ObjectKey.Parse("node1"));
        Assert.Equal("ns/a", new ObjectKey("ns", "a").ToString());
        Assert.Equal("node1", new ObjectKey(null, "node1").ToString());
    }

    [Fact]
    public void Built_in_kinds_resolve_without_registration()
    {
        Assert.Equal(new ResourceKind("", "v1", "ConfigMap", "configmaps", true), ResourceKinds.For<V1ConfigMap>());
        Assert.Equal(new ResourceKind("", "v1", "Node", "nodes", false), ResourceKinds.For<V1Node>());
        Assert.Equal(new ResourceKind("apps", "v1", "DaemonSet", "daemonsets", true), ResourceKinds.For<V1DaemonSet>());
        Assert.Equal(new ResourceKind("coordination.k8s.io", "v1", "Lease", "leases", true), ResourceKinds.For<V1Lease>());
        Assert.Equal(new ResourceKind("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false),
            ResourceKinds.For<V1ClusterRole>());
    }
}
