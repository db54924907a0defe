using System.Text;
using System.Text.Json.Nodes;

namespace NetworkOperator.Simulator.Tests.Support;

/// <summary>Raw HTTP requests to the embedded server and the Status answers they get.</summary>
internal static class StatusRequests
{
    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    public static Task<HttpResponseMessage> MergePatchAsync(this HttpClient http, string path, string body) =>
        http.SendAsync(new HttpRequestMessage(HttpMethod.Patch, path) { Content = new StringContent(body, Encoding.UTF8, "application/merge-patch+json") });

    /// <summary>The answer is a Status with this code, reason and message.</summary>
    public static async Task AssertStatusAsync(HttpResponseMessage response, int code, string reason, string message)
    {
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal((code, reason, message), ((int)response.StatusCode, status["reason"]?.GetValue<string>(), status["message"]?.GetValue<string>()));
    }
}
