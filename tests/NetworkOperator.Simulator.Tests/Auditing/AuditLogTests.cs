using k8s;
using k8s.Models;
using k8s.Autorest;
using NetworkOperator.Simulator.Auth;
using NetworkOperator.Simulator.Diagnostics;

namespace NetworkOperator.Simulator.Tests.Auditing;

/// <summary>The audit log records each user's requests in RBAC terms, so tests can check them against roles.</summary>
public sealed class AuditLogTests
{
    [Fact]
    public async Task Requests_are_recorded_per_authenticated_user_with_rbac_verb_group_resource_subresource_and_namespace()
    {
        await using var server = await SimulatedApiServer.StartNewAsync();
        using var alice = server.CreateClient(server.Authentication.AddToken(new UserInfo("alice", [UserInfo.MastersGroup])));
        using var anonymous = new Kubernetes(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() });

        var deployment = new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
            Spec = new V1DeploymentSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox" }] },
                },
            },
        };
        var created = await alice.AppsV1.CreateNamespacedDeploymentAsync(deployment, "default");
        await alice.AppsV1.ReadNamespacedDeploymentAsync("web", "default");
        await alice.AppsV1.ListDeploymentForAllNamespacesAsync();
        created.Status = new V1DeploymentStatus { Replicas = 1 };
        await alice.AppsV1.ReplaceNamespacedDeploymentStatusAsync(created, "web", "default");
        await alice.CoreV1.PatchNodeAsync(new V1Patch("{}", V1Patch.PatchType.MergePatch), "missing").ContinueWith(_ => { }, TaskScheduler.Default);
        // Refused requests are recorded too, as in the real audit log.
        await Assert.ThrowsAsync<HttpOperationException>(() => anonymous.CoreV1.ListNamespaceAsync());

        var aliceRequests = server.Audit.ByUser("alice");
        Assert.Equal(
            [
                new AuditedRequest("alice", "create", "apps", "deployments", null, "default"),
                new AuditedRequest("alice", "get", "apps", "deployments", null, "default"),
                new AuditedRequest("alice", "list", "apps", "deployments", null, null),
                new AuditedRequest("alice", "patch", "", "nodes", null, null),
                new AuditedRequest("alice", "update", "apps", "deployments", "status", "default"),
            ],
            aliceRequests.OrderBy(r => r.Verb, StringComparer.Ordinal));
        Assert.Equal("deployments/status", aliceRequests.Single(r => r.Verb == "update").RbacResource);
        Assert.Equal([new AuditedRequest(AuditLog.Anonymous, "list", "", "namespaces", null, null)], server.Audit.ByUser(AuditLog.Anonymous));
        Assert.Equal(1, server.Audit.Snapshot()[new AuditedRequest("alice", "create", "apps", "deployments", null, "default")]);
    }
}
