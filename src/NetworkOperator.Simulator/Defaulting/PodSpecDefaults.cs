using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Serialization;

namespace NetworkOperator.Simulator.Defaulting;

/// <summary>
/// The defaults the real server writes into pod specs (in pods and in every workload's pod template), so an operator
/// that compares what it rendered with what it reads back sees the same differences as on a real cluster.
/// </summary>
internal static class PodSpecDefaults
{
    public static void Apply(JsonObject spec, bool isPod)
    {
        SetIfMissing(spec, "restartPolicy", "Always");
        SetIfMissing(spec, "dnsPolicy", "ClusterFirst");
        SetIfMissing(spec, "schedulerName", "default-scheduler");
        SetIfMissing(spec, "terminationGracePeriodSeconds", 30);
        if (spec["securityContext"] is not JsonObject)
        {
            spec["securityContext"] = new JsonObject();
        }

        ServiceAccountAlias(spec);

        if (isPod)
        {
            SetIfMissing(spec, "enableServiceLinks", true);
            SetIfMissing(spec, "priority", 0);
            SetIfMissing(spec, "preemptionPolicy", "PreemptLowerPriority");
        }

        var hostNetwork = spec["hostNetwork"].GetBool() == true;
        foreach (var list in new[] { "containers", "initContainers", "ephemeralContainers" })
        {
            foreach (var container in (spec[list] as JsonArray ?? []).OfType<JsonObject>())
            {
                Container(container, hostNetwork, isPod);
            }
        }

        foreach (var volume in (spec["volumes"] as JsonArray ?? []).OfType<JsonObject>())
        {
            Volume(volume);
        }
    }

    // v1 keeps the deprecated `serviceAccount` as an alias: read when serviceAccountName is empty, written back as a
    // copy of serviceAccountName, so every pod and template read from a real server carries both.
    private static void ServiceAccountAlias(JsonObject spec)
    {
        var name = spec.GetString("serviceAccountName");
        if (string.IsNullOrEmpty(name))
        {
            name = spec.GetString("serviceAccount");
        }

        if (string.IsNullOrEmpty(name))
        {
            spec.Remove("serviceAccountName");
            spec.Remove("serviceAccount");
            return;
        }

        spec["serviceAccountName"] = name;
        spec["serviceAccount"] = name;
    }

    private static void Container(JsonObject container, bool hostNetwork, bool isPod)
    {
        SetIfMissing(container, "terminationMessagePath", "/dev/termination-log");
        SetIfMissing(container, "terminationMessagePolicy", "File");
        if (container["imagePullPolicy"] is null)
        {
            container["imagePullPolicy"] = PullPolicyFor(container.GetString("image") ?? "");
        }

        foreach (var port in (container["ports"] as JsonArray ?? []).OfType<JsonObject>())
        {
            SetIfMissing(port, "protocol", "TCP");
            if (hostNetwork && port["hostPort"] is null && port["containerPort"] is { } containerPort)
            {
                port["hostPort"] = containerPort.DeepClone();
            }
        }

        foreach (var env in (container["env"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if ((env["valueFrom"] as JsonObject)?["fieldRef"] is JsonObject fieldRef)
            {
                SetIfMissing(fieldRef, "apiVersion", "v1");
            }
        }

        foreach (var probe in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
        {
            if (container[probe] is JsonObject p)
            {
                Probe(p);
            }
        }

        if (container["resources"] is not JsonObject resources)
        {
            container["resources"] = new JsonObject();
        }
        else if (isPod && resources["limits"] is JsonObject limits)
        {
            // Requests default to limits for the resources that have only a limit.
            var requests = resources["requests"] as JsonObject ?? new JsonObject();
            foreach (var (name, value) in limits)
            {
                if (requests[name] is null)
                {
                    requests[name] = value?.DeepClone();
                }
            }

            resources["requests"] = requests;
        }

        foreach (var hook in new[] { "postStart", "preStop" })
        {
            if ((container["lifecycle"] as JsonObject)?[hook] is JsonObject handler && handler["httpGet"] is JsonObject httpGet)
            {
                SetIfMissing(httpGet, "scheme", "HTTP");
            }
        }
    }

    private static void Probe(JsonObject probe)
    {
        SetIfMissing(probe, "timeoutSeconds", 1);
        SetIfMissing(probe, "periodSeconds", 10);
        SetIfMissing(probe, "successThreshold", 1);
        SetIfMissing(probe, "failureThreshold", 3);
        if (probe["httpGet"] is JsonObject httpGet)
        {
            SetIfMissing(httpGet, "scheme", "HTTP");
            SetIfMissing(httpGet, "path", "/");
        }

        if (probe["grpc"] is JsonObject grpc)
        {
            SetIfMissing(grpc, "service", "");
        }
    }

    private static void Volume(JsonObject volume)
    {
        foreach (var source in new[] { "configMap", "secret", "downwardAPI", "projected" })
        {
            if (volume[source] is JsonObject s)
            {
                SetIfMissing(s, "defaultMode", 420);
                if (source == "projected")
                {
                    foreach (var projection in (s["sources"] as JsonArray ?? []).OfType<JsonObject>())
                    {
                        if (projection["serviceAccountToken"] is JsonObject token)
                        {
                            SetIfMissing(token, "expirationSeconds", 3600);
                        }
                    }
                }

                if (source == "downwardAPI")
                {
                    foreach (var item in (s["items"] as JsonArray ?? []).OfType<JsonObject>())
                    {
                        if (item["fieldRef"] is JsonObject fieldRef)
                        {
                            SetIfMissing(fieldRef, "apiVersion", "v1");
                        }
                    }
                }
            }
        }

        if (volume["hostPath"] is JsonObject hostPath)
        {
            SetIfMissing(hostPath, "type", "");
        }
    }

    /// <summary>Always for ":latest" or untagged images, IfNotPresent otherwise (digests count as tags).</summary>
    public static string PullPolicyFor(string image)
    {
        if (image.Contains('@', StringComparison.Ordinal))
        {
            return "IfNotPresent";
        }

        var lastSlash = image.LastIndexOf('/');
        var lastColon = image.LastIndexOf(':');
        if (lastColon <= lastSlash)
        {
            return "Always";
        }

        return image[(lastColon + 1)..] == "latest" ? "Always" : "IfNotPresent";
    }

    public static void SetIfMissing(JsonObject obj, string key, JsonNode? value)
    {
        if (obj[key] is null)
        {
            obj[key] = value;
        }
    }
}
