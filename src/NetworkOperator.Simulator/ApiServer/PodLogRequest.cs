using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Serialization;

namespace NetworkOperator.Simulator.ApiServer;

/// <summary>
/// <c>GET pods/{name}/log</c> as kube-apiserver 1.32 answers it: the container is chosen as <c>LogLocation</c> chooses
/// it (the only container, else the <c>container</c> parameter, else 400 listing the names), a pod without a node gives
/// 204 No Content (the server has no kubelet to stream from), a container that has not started gives the kubelet's 400 "is waiting to start", and the log is
/// plain text cut by <c>tailLines</c> and <c>limitBytes</c>.
/// </summary>
internal static class PodLogRequest
{
    public static async Task WriteAsync(HttpContext context, JsonObject pod, ContainerLogs logs)
    {
        var query = context.Request.Query;
        var name = pod["metadata"]?["name"]?.GetValue<string>() ?? string.Empty;
        var ns = pod["metadata"]?["namespace"]?.GetValue<string>() ?? string.Empty;
        var containers = Names(pod["spec"]?["containers"]);
        var initContainers = Names(pod["spec"]?["initContainers"]);
        var container = query["container"].ToString();
        if (container.Length == 0)
        {
            container = containers.Count switch
            {
                1 => containers[0],
                0 => throw ApiErrors.BadRequest($"a container name must be specified for pod {name}"),
                _ => throw ApiErrors.BadRequest($"a container name must be specified for pod {name}, choose one of: [{string.Join(' ', containers)}]" +
                                                (initContainers.Count > 0 ? $" or one of the init containers: [{string.Join(' ', initContainers)}]" : string.Empty)),
            };
        }
        else if (!containers.Contains(container) && !initContainers.Contains(container))
        {
            throw ApiErrors.BadRequest($"container {container} is not valid for pod {name}");
        }

        if (string.IsNullOrEmpty(pod["spec"]?["nodeName"]?.GetValue<string>()))
        {
            context.Response.StatusCode = 204;
            return;
        }

        if (WaitingReason(pod, container) is { } reason)
        {
            throw ApiErrors.BadRequest($"container \"{container}\" in pod \"{name}\" is waiting to start: {reason}");
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain";
        var text = logs.Read(ns, name, container);
        if (query.TryGetValue("tailLines", out var tailValue) && long.TryParse(tailValue, NumberStyles.None, CultureInfo.InvariantCulture, out var tail))
        {
            var lines = text.Split('\n');
            var complete = text.EndsWith('\n') ? lines[..^1] : lines;
            text = string.Concat(complete.Skip((int)Math.Max(0, complete.Length - tail)).Select(l => l + "\n"));
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        if (query.TryGetValue("limitBytes", out var limitValue) && long.TryParse(limitValue, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) &&
            limit < bytes.Length)
        {
            bytes = bytes[..(int)limit];
        }

        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    private static List<string> Names(JsonNode? containers) =>
        containers is JsonArray array ? [.. array.OfType<JsonObject>().Select(c => c.GetString("name")).OfType<string>()] : [];

    // The kubelet answers for a container with no running or terminated instance: "ContainerCreating" before its status
    // is known, its waiting reason (ImagePullBackOff: "trying and failing to pull image") after.
    private static string? WaitingReason(JsonObject pod, string container)
    {
        var statuses = (pod["status"]?["containerStatuses"] as JsonArray ?? []).Concat(pod["status"]?["initContainerStatuses"] as JsonArray ?? [])
            .OfType<JsonObject>();
        var status = statuses.FirstOrDefault(s => s.GetString("name") == container);
        if (status is null)
        {
            return "ContainerCreating";
        }

        if (status["state"]?["running"] is not null || status["state"]?["terminated"] is not null || status["lastState"]?["terminated"] is not null)
        {
            return null;
        }

        return status["state"]?["waiting"]?["reason"]?.GetValue<string>() switch
        {
            "ErrImagePull" or "ImagePullBackOff" => "trying and failing to pull image",
            { } other => other,
            null => "ContainerCreating",
        };
    }
}
