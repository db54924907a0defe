using k8s;
using k8s.Models;
using KubectlRunner = NetworkOperator.Simulator.Tests.Support.Kubectl;

namespace NetworkOperator.Simulator.Tests.Kubectl;

/// <summary>Events as kubectl reads them from a real server: the Table columns and describe's field selectors.</summary>
[Trait("Category", "Slow")]
public sealed class KubectlEventsTests
{
    [Fact]
    public async Task Get_events_prints_the_real_columns_and_describe_shows_the_events_of_a_cluster_scoped_object()
    {
        await using var server = await SimulatedApiServer.StartNewAsync();
        using var client = server.CreateClient();
        using var kubectl = new KubectlRunner(server);
        var node = await client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = "worker-1" } });
        var now = DateTime.UtcNow;

        // As client-go writes an Event about a cluster-scoped object: in "default", involvedObject.namespace empty.
        await client.CoreV1.CreateNamespacedEventAsync(new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = "worker-1.1", NamespaceProperty = "default" },
            InvolvedObject = new V1ObjectReference { ApiVersion = "v1", Kind = "Node", Name = "worker-1", Uid = node.Metadata.Uid },
            Type = "Warning", Reason = "DriverFailed", Message = "driver did not load", Count = 3,
            FirstTimestamp = now.AddMinutes(-10), LastTimestamp = now.AddMinutes(-2),
            Source = new V1EventSource { Component = "network-operator" },
        }, "default");
        // An Event about another object of the same name must not show up in the node's description.
        await client.CoreV1.CreateNamespacedEventAsync(new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = "worker-1.2", NamespaceProperty = "default" },
            InvolvedObject = new V1ObjectReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "worker-1", NamespaceProperty = "default" },
            Type = "Normal", Reason = "Unrelated", Message = "not about the node",
            FirstTimestamp = now, LastTimestamp = now,
        }, "default");

        var all = (await kubectl.RunAsync("get", "events", "-A")).EnsureSuccess();
        var lines = all.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAMESPACE\s+LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$", lines[0]);
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^default\s+2m\d*s?\s+Warning\s+DriverFailed\s+node/worker-1\s+driver did not load$"));

        var wide = (await kubectl.RunAsync("get", "events", "-n", "default", "-o", "wide")).EnsureSuccess();
        Assert.Matches(@"LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+SUBOBJECT\s+SOURCE\s+MESSAGE\s+FIRST SEEN\s+COUNT\s+NAME", wide.Stdout);
        Assert.Matches(@"Warning\s+DriverFailed\s+node/worker-1\s+network-operator\s+driver did not load\s+10m\d*s?\s+3\s+worker-1\.1", wide.Stdout);

        var describe = (await kubectl.RunAsync("describe", "node", "worker-1")).EnsureSuccess();
        Assert.Matches(@"Events:\s+Type\s+Reason\s+Age\s+From\s+Message", describe.Stdout);
        Assert.Matches(@"Warning\s+DriverFailed\s+\S+ \(x3 over \S+\)\s+network-operator\s+driver did not load", describe.Stdout);
        Assert.DoesNotContain("Unrelated", describe.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sort_by_reads_the_whole_object_that_includeObject_Object_asks_the_table_rows_to_carry()
    {
        await using var server = await SimulatedApiServer.StartNewAsync();
        using var client = server.CreateClient();
        using var kubectl = new KubectlRunner(server);
        var now = DateTime.UtcNow;
        foreach (var (name, minutesAgo) in new[] { ("b-middle", 5), ("a-newest", 1), ("c-oldest", 9) })
        {
            await client.CoreV1.CreateNamespacedEventAsync(new Corev1Event
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
                InvolvedObject = new V1ObjectReference { ApiVersion = "v1", Kind = "Node", Name = "worker-1" },
                Type = "Normal", Reason = "Step", Message = name,
                FirstTimestamp = now.AddMinutes(-minutesAgo), LastTimestamp = now.AddMinutes(-minutesAgo),
            }, "default");
        }

        // kubectl sorts on the rows' objects; with metadata only it found nothing to sort and printed "No resources found".
        var sorted = (await kubectl.RunAsync("get", "events", "-A", "--sort-by=.lastTimestamp")).EnsureSuccess();
        var messages = sorted.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]).ToList();
        Assert.Equal(["c-oldest", "b-middle", "a-newest"], messages);

        using var http = server.CreateHttpClient();
        async Task<(int Code, System.Text.Json.Nodes.JsonNode? Body)> TableAsync(string query)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces/default/events/a-newest" + query);
            request.Headers.Add("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
            using var response = await http.SendAsync(request);
            return ((int)response.StatusCode, System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync()));
        }

        var whole = await TableAsync("?includeObject=Object");
        Assert.Equal(200, whole.Code);
        Assert.Equal("Event", (string?)whole.Body!["rows"]![0]!["object"]!["kind"]);
        Assert.Equal("Step", (string?)whole.Body!["rows"]![0]!["object"]!["reason"]);

        var metadata = await TableAsync("");
        Assert.Equal("PartialObjectMetadata", (string?)metadata.Body!["rows"]![0]!["object"]!["kind"]);
        Assert.Null(metadata.Body!["rows"]![0]!["object"]!["reason"]);

        var none = await TableAsync("?includeObject=None");
        Assert.True(none.Body!["rows"]![0]!.AsObject().ContainsKey("object"));
        Assert.Null(none.Body!["rows"]![0]!["object"]);

        var bogus = await TableAsync("?includeObject=Everything");
        Assert.Equal(400, bogus.Code);
        Assert.Equal("unrecognized includeObject value: \"Everything\"", (string?)bogus.Body!["message"]);
    }
}
