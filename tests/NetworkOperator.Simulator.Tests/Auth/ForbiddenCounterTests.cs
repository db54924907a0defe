using k8s;
using k8s.Autorest;
using k8s.Models;

namespace NetworkOperator.Simulator.Tests.Auth;

/// <summary>Refused requests are counted per user, so a run can prove its client's RBAC let everything through.</summary>
public sealed class ForbiddenCounterTests
{
    [Fact]
    public async Task Each_request_the_authorizer_refuses_is_counted_for_its_user_and_allowed_ones_are_not()
    {
        await using var server = await SimulatedApiServer.StartNewAsync();
        var admin = server.CreateClient();
        await admin.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "reader" } }, "default");
        await admin.CoreV1.ListNamespacedPodAsync("default");
        using var reader = server.CreateClient(server.CreateServiceAccountToken("default", "reader"));

        for (var i = 0; i < 2; i++)
        {
            var refused = await Assert.ThrowsAsync<HttpOperationException>(() => reader.CoreV1.ListNamespacedPodAsync("default"));
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.Response.StatusCode);
        }

        var counts = server.Requests.ForbiddenByUser();
        Assert.Equal(2, counts["system:serviceaccount:default:reader"]);
        Assert.Single(counts);

        server.Requests.Reset();
        Assert.Empty(server.Requests.ForbiddenByUser());
    }
}
