using k8s;
using k8s.Models;
using NetworkOperator.Runtime.Client;

namespace NetworkOperator.Runtime.Tests.Client;

/// <summary>The failures are the embedded API server's own answers, as KubernetesClient surfaces them.</summary>
public sealed class ApiErrorsTests
{
    [Fact]
    public async Task A_write_into_a_missing_namespace_is_told_apart_from_a_missing_object()
    {
        await using var cluster = await Cluster.StartAsync();

        var intoMissing = await Assert.ThrowsAnyAsync<Exception>(() => cluster.CreateConfigMapAsync("settings", ns: "team-b"));
        Assert.True(ApiErrors.IsNotFound(intoMissing));
        Assert.True(ApiErrors.IsNamespaceNotFound(intoMissing));
        Assert.Equal("404 NotFound: namespaces \"team-b\" not found", ApiErrors.Describe(intoMissing));

        var missingObject = await Assert.ThrowsAnyAsync<Exception>(() => cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("absent", "default"));
        Assert.True(ApiErrors.IsNotFound(missingObject));
        Assert.False(ApiErrors.IsNamespaceNotFound(missingObject));
        Assert.Equal("404 NotFound: configmaps \"absent\" not found", ApiErrors.Describe(missingObject));
    }

    [Fact]
    public async Task Describe_carries_the_servers_reason_for_a_refused_write()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.CreateConfigMapAsync("settings");

        var duplicate = await Assert.ThrowsAnyAsync<Exception>(() => cluster.CreateConfigMapAsync("settings"));
        Assert.True(ApiErrors.IsConflict(duplicate));
        Assert.False(ApiErrors.IsNamespaceNotFound(duplicate));
        Assert.Equal("409 Conflict: configmaps \"settings\" already exists", ApiErrors.Describe(duplicate));

        var invalid = await Assert.ThrowsAnyAsync<Exception>(() => cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "Not_A_Name" } }, "default"));
        Assert.StartsWith("422 UnprocessableEntity: ConfigMap \"Not_A_Name\" is invalid: metadata.name: Invalid value: \"Not_A_Name\"",
            ApiErrors.Describe(invalid), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_path_nothing_serves_is_told_apart_from_a_missing_object_or_namespace()
    {
        await using var cluster = await Cluster.StartAsync();

        // A custom resource nobody defined: the server's plain-text 404, quoted.
        var custom = await Assert.ThrowsAnyAsync<Exception>(() => cluster.Client.CustomObjects.ListNamespacedCustomObjectAsync(
            "k8s.cni.cncf.io", "v1", "default", "network-attachment-definitions"));
        Assert.True(ApiErrors.IsKindNotServed(custom));
        Assert.Equal("404 NotFound: 404 page not found", ApiErrors.Describe(custom));

        // A built-in group's unknown resource: a Status with empty details.
        var builtIn = await Assert.ThrowsAnyAsync<Exception>(() => cluster.Client.CustomObjects.ListNamespacedCustomObjectAsync(
            "apps", "v1", "default", "gadgets"));
        Assert.True(ApiErrors.IsKindNotServed(builtIn));

        var missingObject = await Assert.ThrowsAnyAsync<Exception>(() => cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("absent", "default"));
        Assert.False(ApiErrors.IsKindNotServed(missingObject));
        var intoMissing = await Assert.ThrowsAnyAsync<Exception>(() => cluster.CreateConfigMapAsync("settings", ns: "team-b"));
        Assert.False(ApiErrors.IsKindNotServed(intoMissing));
    }
}
