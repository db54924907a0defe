using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using NetworkOperator.Rendering.Ofed;

namespace NetworkOperator.Rendering.Tests.Ofed;

public class RegistryTagListerTests
{
    /// <summary>Answers from a script instead of the network: these tests never open a connection.</summary>
    private sealed class ScriptedRegistry : HttpMessageHandler
    {
        public List<string> Requests { get; } = [];

        public Func<HttpRequestMessage, HttpResponseMessage> Respond { get; set; } = _ => new HttpResponseMessage(HttpStatusCode.NotFound);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add($"{request.RequestUri} {request.Headers.Authorization}".Trim());
            return Task.FromResult(Respond(request));
        }
    }

    private static HttpResponseMessage Json(string body) => new(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    [Fact]
    public async Task Lists_tags_follows_pages_and_answers_from_the_cache()
    {
        var registry = new ScriptedRegistry
        {
            Respond = r => r.RequestUri!.Query.Contains("last=", StringComparison.Ordinal)
                ? Json("{\"tags\":[\"25.04-0.6.1.0-2-5.15.0-91-generic-ubuntu22.04-amd64\"]}")
                : new HttpResponseMessage(HttpStatusCode.OK)
                {
                    Content = new StringContent("{\"tags\":[\"25.04-0.6.1.0-2-ubuntu22.04-amd64\"]}"),
                    Headers = { { "Link", "</v2/nvidia/mellanox/doca-driver/tags/list?n=1&last=a>; rel=\"next\"" } },
                },
        };
        var time = new FakeTimeProvider();
        var lister = new RegistryTagLister(new HttpClient(registry), time, TimeSpan.FromMinutes(30));

        await lister.RefreshAsync("nvcr.io/nvidia/mellanox", "doca-driver");

        Assert.Equal("https://nvcr.io/v2/nvidia/mellanox/doca-driver/tags/list", registry.Requests[0]);
        Assert.Equal(2, registry.Requests.Count);
        Assert.True(lister.Lookup("nvcr.io/nvidia/mellanox", "doca-driver", "25.04-0.6.1.0-2-5.15.0-91-generic-ubuntu22.04-amd64").Exists);
        Assert.False(lister.Lookup("nvcr.io/nvidia/mellanox", "doca-driver", "nope").Exists);

        await lister.RefreshAsync("nvcr.io/nvidia/mellanox", "doca-driver");
        Assert.Equal(1, lister.FetchCount);

        time.Advance(TimeSpan.FromMinutes(31));
        await lister.RefreshAsync("nvcr.io/nvidia/mellanox", "doca-driver");
        Assert.Equal(2, lister.FetchCount);
    }

    [Fact]
    public async Task Answers_a_bearer_challenge_with_a_token_request()
    {
        var registry = new ScriptedRegistry();
        registry.Respond = r =>
        {
            if (r.RequestUri!.Host == "auth.example.test")
            {
                return Json("{\"token\":\"t0k\"}");
            }

            if (r.Headers.Authorization is null)
            {
                var challenge = new HttpResponseMessage(HttpStatusCode.Unauthorized);
                challenge.Headers.WwwAuthenticate.ParseAdd("Bearer realm=\"https://auth.example.test/token\",service=\"reg\",scope=\"repository:org/drv:pull\"");
                return challenge;
            }

            return Json("{\"tags\":[\"x\"]}");
        };
        var lister = new RegistryTagLister(new HttpClient(registry), new FakeTimeProvider(), credentials: _ => new RegistryCredentials("u", "p"));

        await lister.RefreshAsync("reg.example.test/org", "drv");

        Assert.Contains(registry.Requests, r => r.StartsWith("https://auth.example.test/token?service=reg&scope=repository%3Aorg%2Fdrv%3Apull Basic ", StringComparison.Ordinal));
        Assert.EndsWith("Bearer t0k", registry.Requests[^1], StringComparison.Ordinal);
        Assert.Equal(new PrecompiledTagLookup(true, null), lister.Lookup("reg.example.test/org", "drv", "x"));
    }

    [Fact]
    public async Task The_version_moves_with_every_change_to_the_cached_lists_and_stays_while_answers_come_from_the_cache()
    {
        // The operator's render memo keys on it: a render may be reused only while every answer is the same.
        var registry = new ScriptedRegistry { Respond = _ => Json("{\"tags\":[\"a\"]}") };
        var time = new FakeTimeProvider();
        IPrecompiledTagLister lister = new RegistryTagLister(new HttpClient(registry), time, TimeSpan.FromMinutes(30));
        var registryLister = (RegistryTagLister)lister;
        var before = lister.Version;

        await registryLister.RefreshAsync("nvcr.io/x", "drv");
        var fetched = lister.Version;
        Assert.NotEqual(before, fetched);

        await registryLister.RefreshAsync("nvcr.io/x", "drv");
        Assert.Equal(fetched, lister.Version);

        registry.Respond = _ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        time.Advance(TimeSpan.FromMinutes(31));
        await registryLister.RefreshAsync("nvcr.io/x", "drv");
        Assert.NotEqual(fetched, lister.Version);
        Assert.NotNull(lister.Lookup("nvcr.io/x", "drv", "a").Error);
    }

    [Fact]
    public async Task Retryable_errors_are_retried_on_the_next_refresh_others_wait_for_the_interval()
    {
        var registry = new ScriptedRegistry { Respond = _ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) };
        var lister = new RegistryTagLister(new HttpClient(registry), new FakeTimeProvider());

        await lister.RefreshAsync("nvcr.io/x", "drv");
        var lookup = lister.Lookup("nvcr.io/x", "drv", "t");
        Assert.False(lookup.Exists);
        Assert.Contains("HTTP 503", lookup.Error, StringComparison.Ordinal);
        await lister.RefreshAsync("nvcr.io/x", "drv");
        Assert.Equal(2, lister.FetchCount);

        registry.Respond = _ => new HttpResponseMessage(HttpStatusCode.NotFound);
        await lister.RefreshAsync("nvcr.io/x", "drv");
        await lister.RefreshAsync("nvcr.io/x", "drv");
        Assert.Equal(3, lister.FetchCount);
    }

    [Fact]
    public void Lookup_before_any_fetch_reports_that_nothing_was_fetched()
    {
        var lister = new RegistryTagLister(new HttpClient(new ScriptedRegistry()), new FakeTimeProvider());
        var lookup = lister.Lookup("nvcr.io/x", "drv", "t");
        Assert.False(lookup.Exists);
        Assert.Contains("has not been fetched", lookup.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nvcr.io/nvidia/mellanox/doca-driver", "nvcr.io", "nvidia/mellanox/doca-driver")]
    [InlineData("localhost:5000/drv", "localhost:5000", "drv")]
    [InlineData("mellanox/mofed", "registry-1.docker.io", "mellanox/mofed")]
    public void Splits_references_into_host_and_name(string reference, string host, string name)
    {
        Assert.Equal((host, name), RegistryTagLister.SplitReference(reference));
    }
}
