using k8s;
using k8s.Autorest;
using k8s.Models;

namespace NetworkOperator.Simulator.Tests.Auth;

/// <summary>TokenReview as a component that delegates authentication (a secured metrics endpoint) asks it.</summary>
public sealed class TokenReviewTests
{
    [Fact]
    public async Task A_token_review_names_the_user_of_a_valid_token_and_only_an_auth_delegator_may_ask()
    {
        await using var server = await SimulatedApiServer.StartNewAsync();
        var admin = server.CreateClient();
        await admin.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "scraper" } }, "default");
        var account = await admin.CoreV1.ReadNamespacedServiceAccountAsync("scraper", "default");
        var token = server.CreateServiceAccountToken("default", "scraper");

        var valid = await admin.AuthenticationV1.CreateTokenReviewAsync(new V1TokenReview { Spec = new V1TokenReviewSpec { Token = token } });
        Assert.True(valid.Status.Authenticated);
        Assert.Equal("system:serviceaccount:default:scraper", valid.Status.User.Username);
        Assert.Equal(account.Metadata.Uid, valid.Status.User.Uid);
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"], valid.Status.User.Groups);
        Assert.Equal(["https://kubernetes.default.svc.cluster.local"], valid.Status.Audiences);

        var unknown = await admin.AuthenticationV1.CreateTokenReviewAsync(new V1TokenReview { Spec = new V1TokenReviewSpec { Token = "not-a-token" } });
        Assert.NotEqual(true, unknown.Status.Authenticated);
        Assert.Null(unknown.Status.User?.Username);

        var empty = await Assert.ThrowsAsync<HttpOperationException>(() =>
            admin.AuthenticationV1.CreateTokenReviewAsync(new V1TokenReview { Spec = new V1TokenReviewSpec { Token = "" } }));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, empty.Response.StatusCode);
        Assert.Contains("token is required for TokenReview in authentication", empty.Response.Content, StringComparison.Ordinal);

        // Asking is itself authorized: a plain ServiceAccount is refused, one bound to system:auth-delegator may ask.
        using var scraper = server.CreateClient(token);
        var refused = await Assert.ThrowsAsync<HttpOperationException>(() =>
            scraper.AuthenticationV1.CreateTokenReviewAsync(new V1TokenReview { Spec = new V1TokenReviewSpec { Token = token } }));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.Response.StatusCode);
        using var status = System.Text.Json.JsonDocument.Parse(refused.Response.Content);
        Assert.Equal("tokenreviews.authentication.k8s.io is forbidden: User \"system:serviceaccount:default:scraper\" cannot create resource " +
            "\"tokenreviews\" in API group \"authentication.k8s.io\" at the cluster scope", status.RootElement.GetProperty("message").GetString());

        await admin.RbacAuthorizationV1.CreateClusterRoleBindingAsync(new V1ClusterRoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "scraper-auth-delegator" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "system:auth-delegator" },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "scraper", NamespaceProperty = "default" }],
        });
        var self = await scraper.AuthenticationV1.CreateTokenReviewAsync(new V1TokenReview { Spec = new V1TokenReviewSpec { Token = token } });
        Assert.True(self.Status.Authenticated);
        var access = await scraper.AuthorizationV1.CreateSubjectAccessReviewAsync(new V1SubjectAccessReview
        {
            Spec = new V1SubjectAccessReviewSpec
            {
                User = "system:serviceaccount:default:scraper",
                Groups = ["system:serviceaccounts", "system:authenticated"],
                NonResourceAttributes = new V1NonResourceAttributes { Path = "/metrics", Verb = "get" },
            },
        });
        Assert.False(access.Status.Allowed);
    }

    [Fact]
    public async Task Audiences_a_token_was_issued_for_decide_where_it_authenticates_as_on_a_real_server()
    {
        await using var server = await SimulatedApiServer.StartNewAsync();
        var admin = server.CreateClient();
        await admin.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "vault" } }, "default");
        var issued = await admin.CoreV1.CreateNamespacedServiceAccountTokenAsync(new Authenticationv1TokenRequest
        {
            Spec = new V1TokenRequestSpec { Audiences = ["vault", "ci"], ExpirationSeconds = 3600 },
        }, "vault", "default");
        Assert.Equal(["vault", "ci"], issued.Spec.Audiences);
        var token = issued.Status.Token;

        // Reviewed for one of its audiences: authenticated, and the answer names only the audiences asked and held.
        var forVault = await admin.AuthenticationV1.CreateTokenReviewAsync(new V1TokenReview
        {
            Spec = new V1TokenReviewSpec { Token = token, Audiences = ["vault", "other"] },
        });
        Assert.True(forVault.Status.Authenticated);
        Assert.Equal("system:serviceaccount:default:vault", forVault.Status.User.Username);
        Assert.Equal(["vault"], forVault.Status.Audiences);

        // Reviewed for the API server's audience (no spec.audiences): refused, with the JWT authenticator's reason.
        var forApi = await admin.AuthenticationV1.CreateTokenReviewAsync(new V1TokenReview { Spec = new V1TokenReviewSpec { Token = token } });
        Assert.NotEqual(true, forApi.Status.Authenticated);
        Assert.Null(forApi.Status.User?.Username);
        Assert.Equal("token audiences [\"vault\" \"ci\"] is invalid for the target audiences [\"https://kubernetes.default.svc.cluster.local\"]",
            forApi.Status.Error);

        // So the API server itself does not accept it as a bearer token.
        using var asVault = server.CreateClient(token);
        var unauthorized = await Assert.ThrowsAsync<HttpOperationException>(() => asVault.CoreV1.ListNamespacedPodAsync("default"));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, unauthorized.Response.StatusCode);

        // Static tokens (the admin's) are audience-agnostic: good for the API server's audience only.
        var adminToken = server.Authentication.AdminToken;
        var adminElsewhere = await admin.AuthenticationV1.CreateTokenReviewAsync(new V1TokenReview
        {
            Spec = new V1TokenReviewSpec { Token = adminToken, Audiences = ["vault"] },
        });
        Assert.NotEqual(true, adminElsewhere.Status.Authenticated);
        Assert.Null(adminElsewhere.Status.Error);
        var adminHere = await admin.AuthenticationV1.CreateTokenReviewAsync(new V1TokenReview
        {
            Spec = new V1TokenReviewSpec { Token = adminToken, Audiences = ["vault", "https://kubernetes.default.svc.cluster.local"] },
        });
        Assert.True(adminHere.Status.Authenticated);
        Assert.Equal(["https://kubernetes.default.svc.cluster.local"], adminHere.Status.Audiences);
    }
}
