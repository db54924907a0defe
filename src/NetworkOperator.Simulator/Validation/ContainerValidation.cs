using System.Text.Json;
using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Serialization;
using static NetworkOperator.Simulator.Validation.Json;

namespace NetworkOperator.Simulator.Validation;

/// <summary>Containers and init containers: names, image, ports, env, mounts, resources, probes, as the real server checks them.</summary>
internal static class ContainerValidation
{
    private static readonly string[] PullPolicies = ["Always", "IfNotPresent", "Never"];
    private static readonly string[] Protocols = ["SCTP", "TCP", "UDP"];

    private static readonly string[] DownwardApiEnvFields =
    [
        "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP",
        "status.hostIPs", "status.podIP", "status.podIPs",
    ];

    public static void ValidateContainers(FieldErrors errors, JsonObject? spec, HashSet<string> volumes, FieldPath path)
    {
        var containers = Arr(spec, "containers");
        if (containers.Count == 0)
        {
            errors.Required(path);
            return;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (index, container) in Items(spec, "containers"))
        {
            var itemPath = path.Index(index);
            ValidateCommon(errors, container, volumes, itemPath, HostUsers(spec));
            var name = Str(container, "name");
            if (!names.Add(name))
            {
                errors.Duplicate(itemPath.Child("name"), name);
            }

            ValidateLifecycle(errors, Obj(container, "lifecycle"), itemPath.Child("lifecycle"));
            ValidateProbe(errors, Obj(container, "livenessProbe"), itemPath.Child("livenessProbe"), mustSucceedOnce: true);
            ValidateProbe(errors, Obj(container, "readinessProbe"), itemPath.Child("readinessProbe"), mustSucceedOnce: false);
            ValidateProbe(errors, Obj(container, "startupProbe"), itemPath.Child("startupProbe"), mustSucceedOnce: true);
            if (Has(container, "restartPolicy"))
            {
                errors.Forbidden(itemPath.Child("restartPolicy"), "may not be set for non-init containers");
            }
        }

        ValidateHostPortConflicts(errors, containers, path);
    }

    public static void ValidateInitContainers(FieldErrors errors, JsonObject? spec, HashSet<string> volumes, FieldPath path)
    {
        var names = new HashSet<string>(Arr(spec, "containers").OfType<JsonObject>().Select(c => Str(c, "name")), StringComparer.Ordinal);
        foreach (var (index, container) in Items(spec, "initContainers"))
        {
            var itemPath = path.Index(index);
            ValidateCommon(errors, container, volumes, itemPath, HostUsers(spec));
            var name = Str(container, "name");
            if (!names.Add(name))
            {
                errors.Duplicate(itemPath.Child("name"), name);
            }

            var restartPolicy = Str(container, "restartPolicy");
            var restartable = restartPolicy == "Always";
            if (Has(container, "restartPolicy") && !restartable)
            {
                errors.NotSupported(itemPath.Child("restartPolicy"), restartPolicy, "Always");
            }

            if (restartable)
            {
                ValidateLifecycle(errors, Obj(container, "lifecycle"), itemPath.Child("lifecycle"));
                ValidateProbe(errors, Obj(container, "livenessProbe"), itemPath.Child("livenessProbe"), mustSucceedOnce: true);
                ValidateProbe(errors, Obj(container, "readinessProbe"), itemPath.Child("readinessProbe"), mustSucceedOnce: false);
                ValidateProbe(errors, Obj(container, "startupProbe"), itemPath.Child("startupProbe"), mustSucceedOnce: true);
                continue;
            }

            if (Has(container, "lifecycle"))
            {
                errors.Forbidden(itemPath.Child("lifecycle"), "may not be set for init containers without restartPolicy=Always");
            }

            foreach (var probe in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
            {
                if (Has(container, probe))
                {
                    errors.Forbidden(itemPath.Child(probe), "may not be set for init containers without restartPolicy=Always");
                }
            }
        }
    }

    // hostUsers defaults to true: only a pod that asks for its own user namespace has false.
    private static bool HostUsers(JsonObject? spec) => spec?["hostUsers"].GetBool() != false;

    private static void ValidateCommon(FieldErrors errors, JsonObject container, HashSet<string> volumes, FieldPath path, bool hostUsers)
    {
        var name = Str(container, "name");
        if (name.Length == 0)
        {
            errors.Required(path.Child("name"));
        }
        else
        {
            errors.AddMessages(path.Child("name"), name, NameRules.Dns1123Label(name));
        }

        var image = Str(container, "image");
        if (image.Length == 0)
        {
            errors.Required(path.Child("image"));
        }
        else if (image.Length != image.Trim().Length)
        {
            errors.Invalid(path.Child("image"), image, "must not have leading or trailing whitespace");
        }

        var pullPolicy = Str(container, "imagePullPolicy");
        if (pullPolicy.Length == 0)
        {
            errors.Required(path.Child("imagePullPolicy"));
        }
        else if (!PullPolicies.Contains(pullPolicy))
        {
            errors.NotSupported(path.Child("imagePullPolicy"), pullPolicy, PullPolicies);
        }

        ValidateResources(errors, Obj(container, "resources"), path.Child("resources"));
        ValidatePorts(errors, container, path.Child("ports"));
        ValidateEnv(errors, container, path.Child("env"));
        ValidateEnvFrom(errors, container, path.Child("envFrom"));
        ValidateVolumeMounts(errors, container, volumes, path.Child("volumeMounts"));
        switch (Str(container, "terminationMessagePolicy"))
        {
            case "File" or "FallbackToLogsOnError":
                break;
            case "":
                errors.Required(path.Child("terminationMessagePolicy"), "must be 'File' or 'FallbackToLogsOnError'");
                break;
            case var other:
                errors.Invalid(path.Child("terminationMessagePolicy"), other, "must be 'File' or 'FallbackToLogsOnError'");
                break;
        }

        SecurityContextValidation.ValidateContainer(errors, Obj(container, "securityContext"), path.Child("securityContext"), hostUsers);
    }

    private static void ValidatePorts(FieldErrors errors, JsonObject container, FieldPath path)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (index, port) in Items(container, "ports"))
        {
            var itemPath = path.Index(index);
            var name = Str(port, "name");
            if (name.Length > 0)
            {
                var messages = NameRules.PortName(name);
                if (messages.Count > 0)
                {
                    errors.AddMessages(itemPath.Child("name"), name, messages);
                }
                else if (!names.Add(name))
                {
                    errors.Duplicate(itemPath.Child("name"), name);
                }
            }

            var containerPort = Int(port, "containerPort") ?? 0;
            if (containerPort == 0)
            {
                errors.Required(itemPath.Child("containerPort"));
            }
            else
            {
                foreach (var message in NameRules.PortNumber(containerPort))
                {
                    errors.Invalid(itemPath.Child("containerPort"), containerPort, message);
                }
            }

            var hostPort = Int(port, "hostPort") ?? 0;
            if (hostPort != 0)
            {
                foreach (var message in NameRules.PortNumber(hostPort))
                {
                    errors.Invalid(itemPath.Child("hostPort"), hostPort, message);
                }
            }

            var protocol = Str(port, "protocol");
            if (protocol.Length == 0)
            {
                errors.Required(itemPath.Child("protocol"));
            }
            else if (!Protocols.Contains(protocol))
            {
                errors.NotSupported(itemPath.Child("protocol"), protocol, Protocols);
            }
        }
    }

    private static void ValidateHostPortConflicts(FieldErrors errors, JsonArray containers, FieldPath path)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var ci = 0; ci < containers.Count; ci++)
        {
            var ports = Arr(containers[ci] as JsonObject, "ports");
            for (var pi = 0; pi < ports.Count; pi++)
            {
                var port = ports[pi] as JsonObject;
                var hostPort = Int(port, "hostPort") ?? 0;
                if (hostPort == 0)
                {
                    continue;
                }

                var key = $"{Str(port, "hostIP")}/{Str(port, "protocol")}/{hostPort}";
                if (!seen.Add(key))
                {
                    errors.Duplicate(path.Index(ci).Child("ports").Index(pi).Child("hostPort"), key);
                }
            }
        }
    }

    private static void ValidateEnv(FieldErrors errors, JsonObject container, FieldPath path)
    {
        foreach (var (index, env) in Items(container, "env"))
        {
            var itemPath = path.Index(index);
            var name = Str(env, "name");
            if (name.Length == 0)
            {
                errors.Required(itemPath.Child("name"));
            }

            errors.AddMessages(itemPath.Child("name"), name, NameRules.EnvVarName(name));
            if (Obj(env, "valueFrom") is not { } from)
            {
                continue;
            }

            var fromPath = itemPath.Child("valueFrom");
            var sources = 0;
            if (Obj(from, "fieldRef") is { } fieldRef)
            {
                sources++;
                ValidateFieldRef(errors, fieldRef, fromPath.Child("fieldRef"));
            }

            if (Obj(from, "resourceFieldRef") is { } resourceRef)
            {
                sources++;
                if (Str(resourceRef, "resource").Length == 0)
                {
                    errors.Required(fromPath.Child("resourceFieldRef", "resource"));
                }
            }

            foreach (var selector in new[] { "configMapKeyRef", "secretKeyRef" })
            {
                if (Obj(from, selector) is { } keyRef)
                {
                    sources++;
                    var refPath = fromPath.Child(selector);
                    var refName = Str(keyRef, "name");
                    errors.AddMessages(refPath.Child("name"), refName, NameRules.Dns1123Subdomain(refName));
                    var key = Str(keyRef, "key");
                    if (key.Length == 0)
                    {
                        errors.Required(refPath.Child("key"));
                    }
                    else
                    {
                        errors.AddMessages(refPath.Child("key"), key, NameRules.ConfigMapKey(key));
                    }
                }
            }

            if (sources == 0)
            {
                errors.Invalid(fromPath, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`");
            }
            else if (Str(env, "value").Length != 0)
            {
                errors.Invalid(fromPath, "", "may not be specified when `value` is not empty");
            }
            else if (sources > 1)
            {
                errors.Invalid(fromPath, "", "may not have more than one field specified at a time");
            }
        }
    }

    private static void ValidateFieldRef(FieldErrors errors, JsonObject fieldRef, FieldPath path)
    {
        if (Str(fieldRef, "apiVersion").Length == 0)
        {
            errors.Required(path.Child("apiVersion"));
            return;
        }

        var fieldPath = Str(fieldRef, "fieldPath");
        if (fieldPath.Length == 0)
        {
            errors.Required(path.Child("fieldPath"));
            return;
        }

        var bracket = fieldPath.IndexOf('[', StringComparison.Ordinal);
        if (bracket > 0 && fieldPath.EndsWith("']", StringComparison.Ordinal))
        {
            var field = fieldPath[..bracket];
            if (field is not ("metadata.annotations" or "metadata.labels"))
            {
                errors.Invalid(path, field, "does not support subscript");
            }

            return;
        }

        if (!DownwardApiEnvFields.Contains(fieldPath))
        {
            errors.NotSupported(path.Child("fieldPath"), fieldPath, DownwardApiEnvFields);
        }
    }

    private static void ValidateEnvFrom(FieldErrors errors, JsonObject container, FieldPath path)
    {
        foreach (var (index, source) in Items(container, "envFrom"))
        {
            var itemPath = path.Index(index);
            var prefix = Str(source, "prefix");
            if (prefix.Length > 0)
            {
                errors.AddMessages(itemPath.Child("prefix"), prefix, NameRules.EnvVarName(prefix));
            }

            var sources = 0;
            foreach (var reference in new[] { "configMapRef", "secretRef" })
            {
                if (Obj(source, reference) is { } target)
                {
                    sources++;
                    var name = Str(target, "name");
                    errors.AddMessages(itemPath.Child(reference, "name"), name, NameRules.Dns1123Subdomain(name));
                }
            }

            if (sources == 0)
            {
                errors.Invalid(itemPath, "", "must specify one of: `configMapRef` or `secretRef`");
            }
            else if (sources > 1)
            {
                errors.Invalid(itemPath, "", "may not have more than one field specified at a time");
            }
        }
    }

    private static void ValidateVolumeMounts(FieldErrors errors, JsonObject container, HashSet<string> volumes, FieldPath path)
    {
        var mountPoints = new HashSet<string>(StringComparer.Ordinal);
        var privileged = Obj(container, "securityContext")?["privileged"] is JsonValue p && p.TryGetValue<bool>(out var b) && b;
        foreach (var (index, mount) in Items(container, "volumeMounts"))
        {
            var itemPath = path.Index(index);
            var name = Str(mount, "name");
            if (name.Length == 0)
            {
                errors.Required(itemPath.Child("name"));
            }

            if (!volumes.Contains(name))
            {
                errors.NotFound(itemPath.Child("name"), name);
            }

            var mountPath = Str(mount, "mountPath");
            if (mountPath.Length == 0)
            {
                errors.Required(itemPath.Child("mountPath"));
            }

            if (!mountPoints.Add(mountPath))
            {
                errors.Invalid(itemPath.Child("mountPath"), mountPath, "must be unique");
            }

            var subPath = Str(mount, "subPath");
            if (subPath.Length > 0)
            {
                PodSpecValidation.ValidateLocalDescendingPath(errors, subPath, path.Child("subPath"));
            }

            var subPathExpr = Str(mount, "subPathExpr");
            if (subPathExpr.Length > 0)
            {
                if (subPath.Length > 0)
                {
                    errors.Invalid(itemPath.Child("subPathExpr"), subPathExpr, "subPathExpr and subPath are mutually exclusive");
                }

                PodSpecValidation.ValidateLocalDescendingPath(errors, subPathExpr, path.Child("subPathExpr"));
            }

            if (mount["mountPropagation"] is { } propagationNode)
            {
                var propagation = GoValue.Text(propagationNode);
                if (propagation is not ("Bidirectional" or "HostToContainer" or "None"))
                {
                    errors.NotSupported(itemPath.Child("mountPropagation"), propagation, "Bidirectional", "HostToContainer", "None");
                }
                else if (propagation == "Bidirectional" && !privileged)
                {
                    errors.Forbidden(itemPath.Child("mountPropagation"), "Bidirectional mount propagation is available only to privileged containers");
                }
            }
        }
    }

    private static void ValidateResources(FieldErrors errors, JsonObject? resources, FieldPath path)
    {
        var limitsPath = path.Child("limits");
        var requestsPath = path.Child("requests");
        var limits = Obj(resources, "limits");
        var requests = Obj(resources, "requests");
        var hasCpuOrMemory = false;
        var hasHugePages = false;
        foreach (var (name, value) in limits ?? [])
        {
            var itemPath = limitsPath.Key(name);
            ResourceNames.ValidateContainerResourceName(errors, name, itemPath);
            ValidateQuantityValue(errors, name, value, itemPath);
            hasHugePages |= name.StartsWith("hugepages-", StringComparison.Ordinal);
            hasCpuOrMemory |= name is "cpu" or "memory";
        }

        foreach (var (name, value) in requests ?? [])
        {
            var itemPath = requestsPath.Key(name);
            ResourceNames.ValidateContainerResourceName(errors, name, itemPath);
            ValidateQuantityValue(errors, name, value, itemPath);
            hasHugePages |= name.StartsWith("hugepages-", StringComparison.Ordinal);
            hasCpuOrMemory |= name is "cpu" or "memory";
            var request = Quantity.TryParse(GoValue.Text(value));
            if (limits?[name] is { } limitNode)
            {
                var limit = Quantity.TryParse(GoValue.Text(limitNode));
                if (request is null || limit is null)
                {
                    continue;
                }

                if (request.Value != limit.Value && !ResourceNames.IsOvercommitAllowed(name))
                {
                    errors.Invalid(requestsPath, request.ToString(), $"must be equal to {name} limit of {limit}");
                }
                else if (request.Value > limit.Value)
                {
                    errors.Invalid(requestsPath, request.ToString(), $"must be less than or equal to {name} limit of {limit}");
                }
            }
            else if (!ResourceNames.IsOvercommitAllowed(name))
            {
                errors.Required(limitsPath, "Limit must be set for non overcommitable resources");
            }
        }

        if (!hasCpuOrMemory && hasHugePages)
        {
            errors.Forbidden(path, "HugePages require cpu or memory");
        }
    }

    private static void ValidateQuantityValue(FieldErrors errors, string name, JsonNode? value, FieldPath path)
    {
        if (Quantity.TryParse(GoValue.Text(value)) is not { } quantity)
        {
            return;
        }

        if (quantity.IsNegative)
        {
            errors.Invalid(path, quantity.ToString(), "must be greater than or equal to 0");
        }

        if (IsIntegerResource(name) && (quantity.Value * 1000) % 1000 != 0)
        {
            errors.Invalid(path, quantity.ToString(), "must be an integer");
        }
    }

    private static bool IsIntegerResource(string name) => !ResourceNames.IsNativeResource(name) && !name.StartsWith("requests.", StringComparison.Ordinal);

    private static void ValidateLifecycle(FieldErrors errors, JsonObject? lifecycle, FieldPath path)
    {
        if (lifecycle is null)
        {
            return;
        }

        foreach (var hook in new[] { "postStart", "preStop" })
        {
            if (Obj(lifecycle, hook) is { } handler)
            {
                ValidateHandler(errors, handler, path.Child(hook), allowSleep: true);
            }
        }
    }

    private static void ValidateProbe(FieldErrors errors, JsonObject? probe, FieldPath path, bool mustSucceedOnce)
    {
        if (probe is null)
        {
            return;
        }

        ValidateHandler(errors, probe, path, allowSleep: false);
        foreach (var field in new[] { "initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold" })
        {
            if (Int(probe, field) is < 0 and var value)
            {
                errors.Invalid(path.Child(field), value, "must be greater than or equal to 0");
            }
        }

        if (Int(probe, "terminationGracePeriodSeconds") is <= 0 and var grace)
        {
            errors.Invalid(path.Child("terminationGracePeriodSeconds"), grace, "must be greater than 0");
        }

        if (mustSucceedOnce && Int(probe, "successThreshold") is { } threshold && threshold != 1)
        {
            errors.Invalid(path.Child("successThreshold"), threshold, "must be 1");
        }
    }

    private static void ValidateHandler(FieldErrors errors, JsonObject handler, FieldPath path, bool allowSleep)
    {
        var count = 0;
        foreach (var kind in allowSleep ? new[] { "exec", "httpGet", "tcpSocket", "sleep" } : ["exec", "httpGet", "tcpSocket", "grpc"])
        {
            if (Obj(handler, kind) is not { } action)
            {
                continue;
            }

            if (count > 0)
            {
                errors.Forbidden(path.Child(kind), "may not specify more than 1 handler type");
                continue;
            }

            count++;
            var actionPath = path.Child(kind);
            switch (kind)
            {
                case "exec" when Arr(action, "command").Count == 0:
                    errors.Required(actionPath.Child("command"));
                    break;
                case "httpGet":
                    if (Str(action, "path").Length == 0)
                    {
                        errors.Required(actionPath.Child("path"));
                    }

                    ValidatePortNumberOrName(errors, action["port"], actionPath.Child("port"));
                    var scheme = Str(action, "scheme");
                    if (scheme is not ("HTTP" or "HTTPS"))
                    {
                        errors.NotSupported(actionPath.Child("scheme"), scheme, "HTTP", "HTTPS");
                    }

                    foreach (var (_, header) in Items(action, "httpHeaders"))
                    {
                        var headerName = Str(header, "name");
                        errors.AddMessages(actionPath.Child("httpHeaders"), headerName, NameRules.HttpHeaderName(headerName));
                    }

                    break;
                case "tcpSocket":
                    ValidatePortNumberOrName(errors, action["port"], actionPath.Child("port"));
                    break;
                case "grpc":
                    var grpcPort = Int(action, "port") ?? 0;
                    foreach (var message in NameRules.PortNumber(grpcPort))
                    {
                        errors.Invalid(actionPath.Child("port"), grpcPort, message);
                    }

                    break;
                case "sleep" when (Int(action, "seconds") ?? 0) < 0:
                    errors.Invalid(actionPath.Child("seconds"), Int(action, "seconds") ?? 0, "must be non-negative");
                    break;
            }
        }

        if (count == 0)
        {
            errors.Required(path, "must specify a handler type");
        }
    }

    public static void ValidatePortNumberOrName(FieldErrors errors, JsonNode? port, FieldPath path)
    {
        if (port is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            var name = value.GetValue<string>();
            errors.AddMessages(path, name, NameRules.PortName(name));
            return;
        }

        var number = port.GetInt64OrZero();
        foreach (var message in NameRules.PortNumber(number))
        {
            errors.Invalid(path, number, message);
        }
    }

    private static long GetInt64OrZero(this JsonNode? node) => NetworkOperator.Simulator.Serialization.JsonNodeExtensions.GetInt64(node) ?? 0;
}
