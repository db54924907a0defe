using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Errors;

namespace NetworkOperator.Simulator.ApiServer;

/// <summary>
/// Opaque list continuation: the last key returned and the revision of the first page, which every later page reports
/// as its resourceVersion (kube-apiserver serves all pages of one list at that revision).
/// </summary>
internal static class ContinueToken
{
    public static string Encode(long revision, string lastKey)
    {
        var json = new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = revision, ["start"] = lastKey }.ToJsonString();
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static (long Revision, string LastKey) Decode(string token)
    {
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var node = JsonNode.Parse(Convert.FromBase64String(base64)) as JsonObject;
            var start = node?["start"]?.GetValue<string>() ?? throw new FormatException("no start key");
            var revision = node["rv"]?.GetValue<long>() ?? throw new FormatException("no resource version");
            return (revision, start);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException)
        {
            throw ApiErrors.BadRequest($"continue key is not valid: {ex.Message}");
        }
    }
}
