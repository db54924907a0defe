using System.Text.Json.Nodes;
using k8s.Models;

namespace NetworkOperator.Simulator.Cluster.Kubelet;

/// <summary>The pod status documents a kubelet reports, built directly as JSON for the status patch.</summary>
internal static class PodStatusBuilder
{
    public static JsonObject Running(V1Pod pod, string now, string hostIp, string podIp, int restarts)
    {
        var statuses = new JsonArray();
        foreach (var container in pod.Spec.Containers ?? [])
        {
            statuses.Add(new JsonObject
            {
                ["name"] = container.Name,
                ["image"] = container.Image,
                ["imageID"] = ImageId(container.Image),
                ["containerID"] = "containerd://" + Id(pod, container.Name, restarts),
                ["ready"] = true,
                ["started"] = true,
                ["restartCount"] = restarts,
                ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } },
            });
        }

        return Base(pod, "Running", now, hostIp, podIp, ready: true, statuses, InitStatuses(pod, now));
    }

    public static JsonObject Waiting(V1Pod pod, string now, string hostIp, string reason, string? message)
    {
        var statuses = new JsonArray();
        foreach (var container in pod.Spec.Containers ?? [])
        {
            var waiting = new JsonObject { ["reason"] = reason };
            if (message is not null)
            {
                waiting["message"] = message;
            }

            statuses.Add(new JsonObject
            {
                ["name"] = container.Name,
                ["image"] = container.Image,
                ["imageID"] = "",
                ["ready"] = false,
                ["started"] = false,
                ["restartCount"] = 0,
                ["state"] = new JsonObject { ["waiting"] = waiting },
            });
        }

        var status = Base(pod, "Pending", now, hostIp, null, ready: false, statuses, null);
        return status;
    }

    /// <summary>A container that keeps exiting: Running phase, not Ready, waiting in CrashLoopBackOff.</summary>
    public static JsonObject CrashLooping(V1Pod pod, string now, string hostIp, string podIp, int restarts, Func<V1Container, bool> crashes,
        string backoff, FailureOverride rule)
    {
        var statuses = new JsonArray();
        foreach (var container in pod.Spec.Containers ?? [])
        {
            if (!crashes(container))
            {
                statuses.Add(new JsonObject
                {
                    ["name"] = container.Name,
                    ["image"] = container.Image,
                    ["imageID"] = ImageId(container.Image),
                    ["containerID"] = "containerd://" + Id(pod, container.Name, 0),
                    ["ready"] = true,
                    ["started"] = true,
                    ["restartCount"] = 0,
                    ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } },
                });
                continue;
            }

            statuses.Add(new JsonObject
            {
                ["name"] = container.Name,
                ["image"] = container.Image,
                ["imageID"] = ImageId(container.Image),
                ["containerID"] = "containerd://" + Id(pod, container.Name, restarts),
                ["ready"] = false,
                ["started"] = false,
                ["restartCount"] = restarts,
                ["state"] = new JsonObject
                {
                    ["waiting"] = new JsonObject
                    {
                        ["reason"] = "CrashLoopBackOff",
                        ["message"] = $"back-off {backoff} restarting failed container={container.Name} pod={pod.Metadata.Name}_{pod.Metadata.NamespaceProperty}({pod.Metadata.Uid})",
                    },
                },
                ["lastState"] = new JsonObject
                {
                    ["terminated"] = new JsonObject
                    {
                        ["exitCode"] = rule.ExitCode,
                        ["reason"] = rule.ExitReason,
                        ["startedAt"] = now,
                        ["finishedAt"] = now,
                        ["containerID"] = "containerd://" + Id(pod, container.Name, restarts),
                    },
                },
            });
        }

        return Base(pod, "Running", now, hostIp, podIp, ready: false, statuses, InitStatuses(pod, now));
    }

    /// <summary>Every container exited (a pod that runs to completion): Succeeded when all exit codes are 0, else Failed.</summary>
    public static JsonObject Completed(V1Pod pod, string startedAt, string now, string hostIp, string podIp, IReadOnlyDictionary<string, int> exitCodes)
    {
        var statuses = new JsonArray();
        foreach (var container in pod.Spec.Containers ?? [])
        {
            var code = exitCodes.GetValueOrDefault(container.Name);
            statuses.Add(new JsonObject
            {
                ["name"] = container.Name,
                ["image"] = container.Image,
                ["imageID"] = ImageId(container.Image),
                ["containerID"] = "containerd://" + Id(pod, container.Name, 0),
                ["ready"] = false,
                ["started"] = false,
                ["restartCount"] = 0,
                ["state"] = new JsonObject
                {
                    ["terminated"] = new JsonObject
                    {
                        ["exitCode"] = code,
                        ["reason"] = code == 0 ? "Completed" : "Error",
                        ["startedAt"] = startedAt,
                        ["finishedAt"] = now,
                        ["containerID"] = "containerd://" + Id(pod, container.Name, 0),
                    },
                },
            });
        }

        var failed = exitCodes.Values.Any(c => c != 0);
        var status = Base(pod, failed ? "Failed" : "Succeeded", now, hostIp, podIp, ready: false, statuses, InitStatuses(pod, now));
        foreach (var condition in ((JsonArray)status["conditions"]!).OfType<JsonObject>())
        {
            if (condition["type"]?.GetValue<string>() is "Ready" or "ContainersReady")
            {
                condition["reason"] = "PodCompleted";
                condition["message"] = null;
            }
            else if (condition["type"]?.GetValue<string>() == "PodReadyToStartContainers")
            {
                condition["status"] = "False";
            }
        }

        return status;
    }

    private static JsonArray? InitStatuses(V1Pod pod, string now)
    {
        if (pod.Spec.InitContainers is not { Count: > 0 } inits)
        {
            return null;
        }

        var result = new JsonArray();
        foreach (var init in inits)
        {
            result.Add(new JsonObject
            {
                ["name"] = init.Name,
                ["image"] = init.Image,
                ["imageID"] = ImageId(init.Image),
                ["ready"] = true,
                ["restartCount"] = 0,
                ["state"] = new JsonObject
                {
                    ["terminated"] = new JsonObject { ["exitCode"] = 0, ["reason"] = "Completed", ["startedAt"] = now, ["finishedAt"] = now },
                },
            });
        }

        return result;
    }

    private static JsonObject Base(V1Pod pod, string phase, string now, string hostIp, string? podIp, bool ready, JsonArray statuses, JsonArray? inits)
    {
        var notReady = ready ? null : "containers with unready status: [" + string.Join(" ", (pod.Spec.Containers ?? []).Select(c => c.Name)) + "]";
        var started = phase == "Running";
        var status = new JsonObject
        {
            ["phase"] = phase,
            ["conditions"] = new JsonArray(
                Condition("PodReadyToStartContainers", started, now, null, null),
                Condition("Initialized", true, now, null, null),
                Condition("Ready", ready, now, ready ? null : "ContainersNotReady", notReady),
                Condition("ContainersReady", ready, now, ready ? null : "ContainersNotReady", notReady),
                Condition("PodScheduled", true, now, null, null)),
            ["hostIP"] = hostIp,
            ["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = hostIp }),
            ["startTime"] = pod.Status?.StartTime is { } start ? Serialization.Timestamp.Format(start) : now,
            ["containerStatuses"] = statuses,
            ["qosClass"] = pod.Status?.QosClass ?? "BestEffort",
        };
        if (podIp is not null)
        {
            status["podIP"] = podIp;
            status["podIPs"] = new JsonArray(new JsonObject { ["ip"] = podIp });
        }

        if (inits is not null)
        {
            status["initContainerStatuses"] = inits;
        }

        return status;
    }

    private static JsonObject Condition(string type, bool value, string now, string? reason, string? message)
    {
        var condition = new JsonObject
        {
            ["type"] = type,
            ["status"] = value ? "True" : "False",
            ["lastProbeTime"] = null,
            ["lastTransitionTime"] = now,
        };
        if (reason is not null)
        {
            condition["reason"] = reason;
            condition["message"] = message;
        }

        return condition;
    }

    private static string ImageId(string? image) => (image ?? "") + "@sha256:" + Convert.ToHexStringLower(
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(image ?? "")));

    private static string Id(V1Pod pod, string container, int restarts) => Convert.ToHexStringLower(
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{pod.Metadata.Uid}/{container}/{restarts}")));
}
