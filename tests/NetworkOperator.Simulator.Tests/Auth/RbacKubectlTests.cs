using NetworkOperator.Tests.Shared;
using k8s;
using k8s.Autorest;
using k8s.Models;
using NetworkOperator.Simulator.Auth;

namespace NetworkOperator.Simulator.Tests.Auth;

/// <summary>Authentication, RBAC and escalation prevention as the real kubectl meets them.</summary>
public sealed class RbacKubectlTests : IAsyncLifetime
{
    private SimulatedApiServer _server = null!;
    private Support.Kubectl _kubectl = null!;

    public async Task InitializeAsync()
    {
        _server = await SimulatedApiServer.StartNewAsync();
        _kubectl = new Support.Kubectl(_server);
        (await _kubectl.RunAsync("create", "namespace", "team")).EnsureSuccess();
        (await _kubectl.RunAsync("create", "serviceaccount", "bot", "-n", "team")).EnsureSuccess();
    }

    public async Task DisposeAsync()
    {
        _kubectl.Dispose();
        await _server.DisposeAsync();
    }

    private async Task<string> TokenAsync()
    {
        var result = (await _kubectl.RunAsync("create", "token", "bot", "-n", "team")).EnsureSuccess();
        var token = result.Stdout.Trim();
        Assert.False(string.IsNullOrWhiteSpace(token));
        return token;
    }

    [Trait("Category", "Slow")]
    [Fact]
    public async Task A_service_account_token_from_kubectl_create_token_authenticates_and_is_refused_with_the_real_403()
    {
        var token = await TokenAsync();
        var whoami = (await _kubectl.RunAsync("--token", token, "auth", "whoami", "-o", "jsonpath={.status.userInfo.username} {.status.userInfo.groups}")).EnsureSuccess();
        Assert.Equal("system:serviceaccount:team:bot [\"system:serviceaccounts\",\"system:serviceaccounts:team\",\"system:authenticated\"]", whoami.Stdout.Trim());

        var denied = await _kubectl.RunAsync("--token", token, "get", "pods", "-n", "kube-system");
        Assert.NotEqual(0, denied.ExitCode);
        Assert.Contains("Error from server (Forbidden): pods is forbidden: User \"system:serviceaccount:team:bot\" cannot list resource \"pods\" in API group \"\" in the namespace \"kube-system\"", denied.Stderr, StringComparison.Ordinal);

        var clusterScoped = await _kubectl.RunAsync("--token", token, "get", "nodes");
        Assert.Contains("nodes is forbidden: User \"system:serviceaccount:team:bot\" cannot list resource \"nodes\" in API group \"\" at the cluster scope", clusterScoped.Stderr, StringComparison.Ordinal);

        var unknown = await _kubectl.RunAsync("--token", "not-a-token", "get", "pods");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("Unauthorized", unknown.Stderr, StringComparison.Ordinal);

        // The token dies with its ServiceAccount.
        (await _kubectl.RunAsync("delete", "serviceaccount", "bot", "-n", "team")).EnsureSuccess();
        var gone = await _kubectl.RunAsync("--token", token, "auth", "whoami");
        Assert.Contains("Unauthorized", gone.Stderr, StringComparison.Ordinal);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public async Task Kubectl_auth_can_i_answers_from_role_bindings_and_aggregated_roles()
    {
        var token = await TokenAsync();
        var before = await _kubectl.RunAsync("--token", token, "auth", "can-i", "list", "pods", "-n", "team");
        Assert.Equal(1, before.ExitCode);
        Assert.Equal("no", before.Stdout.Trim());

        (await _kubectl.RunAsync("create", "rolebinding", "bot-view", "--clusterrole=view", "--serviceaccount=team:bot", "-n", "team")).EnsureSuccess();
        var yes = await _kubectl.RunAsync("--token", token, "auth", "can-i", "list", "pods", "-n", "team");
        Assert.Equal(0, yes.ExitCode);
        Assert.Equal("yes", yes.Stdout.Trim());
        Assert.Equal("no", (await _kubectl.RunAsync("--token", token, "auth", "can-i", "delete", "pods", "-n", "team")).Stdout.Trim());
        Assert.Equal("no", (await _kubectl.RunAsync("--token", token, "auth", "can-i", "list", "pods", "-n", "default")).Stdout.Trim());
        Assert.Equal("no", (await _kubectl.RunAsync("--token", token, "auth", "can-i", "get", "secrets", "-n", "team")).Stdout.Trim());
        Assert.Equal("yes", (await _kubectl.RunAsync("auth", "can-i", "*", "*")).Stdout.Trim());

        // A ClusterRole labelled to aggregate into view extends what view grants.
        (await _kubectl.RunAsync("apply", "-f", _kubectl.WriteFile("widgets.yaml", """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: widget-reader
              labels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}
            rules:
            - apiGroups: [""]
              resources: [secrets]
              resourceNames: [public]
              verbs: [get]
            """))).EnsureSuccess();
        await Eventually.TrueAsync(async () =>
            (await _kubectl.RunAsync("--token", token, "auth", "can-i", "get", "secrets/public", "-n", "team")).Stdout.Trim() == "yes",
            "the view role aggregates widget-reader");
        Assert.Equal("no", (await _kubectl.RunAsync("--token", token, "auth", "can-i", "get", "secrets/private", "-n", "team")).Stdout.Trim());

        var list = (await _kubectl.RunAsync("--token", token, "auth", "can-i", "--list", "-n", "team")).EnsureSuccess();
        Assert.Contains("selfsubjectaccessreviews.authorization.k8s.io", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("pods", list.Stdout, StringComparison.Ordinal);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public async Task Creating_a_ClusterRole_broader_than_held_is_refused_unless_the_caller_may_escalate()
    {
        var token = await TokenAsync();
        (await _kubectl.RunAsync("create", "clusterrole", "role-writer", "--verb=create,get,update", "--resource=clusterroles")).EnsureSuccess();
        (await _kubectl.RunAsync("create", "clusterrolebinding", "bot-role-writer", "--clusterrole=role-writer", "--serviceaccount=team:bot")).EnsureSuccess();

        var refused = await _kubectl.RunAsync("--token", token, "create", "clusterrole", "pod-reader", "--verb=get,list", "--resource=pods");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("clusterroles.rbac.authorization.k8s.io \"pod-reader\" is forbidden: user \"system:serviceaccount:team:bot\" " +
            "(groups=[\"system:serviceaccounts\" \"system:serviceaccounts:team\" \"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:",
            refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"get\" \"list\"]}", refused.Stderr, StringComparison.Ordinal);

        // Granting what it holds is fine.
        (await _kubectl.RunAsync("--token", token, "create", "clusterrole", "role-reader", "--verb=get", "--resource=clusterroles")).EnsureSuccess();

        (await _kubectl.RunAsync("create", "clusterrole", "escalator", "--verb=escalate", "--resource=clusterroles")).EnsureSuccess();
        (await _kubectl.RunAsync("create", "clusterrolebinding", "bot-escalator", "--clusterrole=escalator", "--serviceaccount=team:bot")).EnsureSuccess();
        (await _kubectl.RunAsync("--token", token, "create", "clusterrole", "pod-reader", "--verb=get,list", "--resource=pods")).EnsureSuccess();
    }

    [Trait("Category", "Slow")]
    [Fact]
    public async Task A_binding_needs_bind_on_the_role_or_every_permission_in_it()
    {
        var token = await TokenAsync();
        (await _kubectl.RunAsync("create", "role", "binder", "-n", "team", "--verb=create", "--resource=rolebindings")).EnsureSuccess();
        (await _kubectl.RunAsync("create", "rolebinding", "bot-binder", "-n", "team", "--role=binder", "--serviceaccount=team:bot")).EnsureSuccess();

        var refused = await _kubectl.RunAsync("--token", token, "create", "rolebinding", "bot-edit", "-n", "team", "--clusterrole=edit", "--serviceaccount=team:bot");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("rolebindings.rbac.authorization.k8s.io \"bot-edit\" is forbidden: user \"system:serviceaccount:team:bot\"", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("is attempting to grant RBAC permissions not currently held", refused.Stderr, StringComparison.Ordinal);

        // Binding a role whose permissions it holds (its own binder role) is allowed.
        (await _kubectl.RunAsync("--token", token, "create", "rolebinding", "bot-binder-2", "-n", "team", "--role=binder", "--serviceaccount=team:bot")).EnsureSuccess();

        // With bind on the edit ClusterRole, in this namespace only.
        (await _kubectl.RunAsync("create", "role", "edit-binder", "-n", "team", "--verb=bind", "--resource=clusterroles", "--resource-name=edit")).EnsureSuccess();
        (await _kubectl.RunAsync("create", "rolebinding", "bot-edit-binder", "-n", "team", "--role=edit-binder", "--serviceaccount=team:bot")).EnsureSuccess();
        (await _kubectl.RunAsync("--token", token, "create", "rolebinding", "bot-edit", "-n", "team", "--clusterrole=edit", "--serviceaccount=team:bot")).EnsureSuccess();
        Assert.Equal("yes", (await _kubectl.RunAsync("--token", token, "auth", "can-i", "create", "deployments.apps", "-n", "team")).Stdout.Trim());
    }

    [Fact]
    public async Task Anonymous_callers_see_version_and_health_only_and_the_kubeconfig_is_private()
    {
        using var anonymous = new Kubernetes(new KubernetesClientConfiguration { Host = _server.BaseAddress.ToString() });
        var version = await anonymous.Version.GetCodeAsync();
        Assert.Equal("32", version.Minor);
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => anonymous.CoreV1.ListNamespaceAsync());
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, error.Response.StatusCode);
        Assert.Contains("User \\\"system:anonymous\\\" cannot list resource \\\"namespaces\\\"", error.Response.Content, StringComparison.Ordinal);

        using var wrong = _server.CreateClient("wrong-token");
        var unauthorized = await Assert.ThrowsAsync<HttpOperationException>(() => wrong.CoreV1.ListNamespaceAsync());
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, unauthorized.Response.StatusCode);
        Assert.Contains("\"reason\":\"Unauthorized\"", unauthorized.Response.Content, StringComparison.Ordinal);

        var path = _server.WriteKubeconfig(Path.Combine(_kubectl.WorkingDirectory, "private", "config"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        Assert.Contains(_server.Authentication.AdminToken, await File.ReadAllTextAsync(path), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KubernetesClient_sees_the_same_decisions_through_token_requests_and_access_reviews()
    {
        using var admin = _server.CreateClient();
        var request = await admin.CoreV1.CreateNamespacedServiceAccountTokenAsync(new Authenticationv1TokenRequest
        {
            Spec = new V1TokenRequestSpec { ExpirationSeconds = 600 },
        }, "bot", "team");
        using var bot = _server.CreateClient(request.Status.Token);
        var review = await bot.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(new V1SelfSubjectAccessReview
        {
            Spec = new V1SelfSubjectAccessReviewSpec { ResourceAttributes = new V1ResourceAttributes { Verb = "get", Resource = "configmaps", NamespaceProperty = "team" } },
        });
        Assert.False(review.Status.Allowed);

        var tooShort = await Assert.ThrowsAsync<HttpOperationException>(() => admin.CoreV1.CreateNamespacedServiceAccountTokenAsync(
            new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec { ExpirationSeconds = 60 } }, "bot", "team"));
        Assert.Equal(422, (int)tooShort.Response.StatusCode);
        Assert.Contains("may not specify a duration less than 10 minutes", tooShort.Response.Content, StringComparison.Ordinal);

        var sar = await admin.AuthorizationV1.CreateSubjectAccessReviewAsync(new V1SubjectAccessReview
        {
            Spec = new V1SubjectAccessReviewSpec
            {
                User = "someone", Groups = [UserInfo.MastersGroup],
                ResourceAttributes = new V1ResourceAttributes { Verb = "delete", Resource = "nodes" },
            },
        });
        Assert.True(sar.Status.Allowed);

        var forbidden = await Assert.ThrowsAsync<HttpOperationException>(() => bot.AuthorizationV1.CreateSubjectAccessReviewAsync(new V1SubjectAccessReview
        {
            Spec = new V1SubjectAccessReviewSpec { User = "x", ResourceAttributes = new V1ResourceAttributes { Verb = "get", Resource = "pods" } },
        }));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, forbidden.Response.StatusCode);
    }
}
