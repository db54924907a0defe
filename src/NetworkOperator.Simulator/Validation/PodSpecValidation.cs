using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Serialization;
using static NetworkOperator.Simulator.Validation.Json;

namespace NetworkOperator.Simulator.Validation;

/// <summary>
/// Pod specs of pods and pod templates, in the order and with the messages of the real server's ValidatePodSpec:
/// volumes, containers and init containers, restart and DNS policy, node selector, affinity, tolerations, names.
/// </summary>
internal static class PodSpecValidation
{
    private static readonly string[] VolumeSources =
    [
        "emptyDir", "hostPath", "gitRepo", "gcePersistentDisk", "awsElasticBlockStore", "secret", "nfs", "iscsi", "glusterfs",
        "flocker", "persistentVolumeClaim", "rbd", "cinder", "cephfs", "quobyte", "downwardAPI", "fc", "flexVolume", "configMap",
        "azureFile", "vsphereVolume", "photonPersistentDisk", "portworxVolume", "azureDisk", "storageos", "projected", "scaleIO",
        "csi", "ephemeral", "image",
    ];

    private static readonly string[] HostPathTypes =
        ["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"];

    private const string FileModeError = "must be a number between 0 and 0777 (octal), both inclusive";

    /// <summary>A pod template: its labels and annotations (at template.labels, as the real server names them) and spec.</summary>
    public static void ValidateTemplate(FieldErrors errors, JsonObject? template, FieldPath path)
    {
        var metadata = Obj(template, "metadata");
        MetadataValidation.ValidateLabels(errors, Obj(metadata, "labels"), path.Child("labels"));
        MetadataValidation.ValidateAnnotations(errors, Obj(metadata, "annotations"), path.Child("annotations"));
        var spec = Obj(template, "spec");
        ValidateSpec(errors, spec, path.Child("spec"));
        if (Arr(spec, "ephemeralContainers").Count > 0)
        {
            errors.Forbidden(path.Child("spec", "ephemeralContainers"), "ephemeral containers not allowed in pod template");
        }
    }

    public static void ValidateSpec(FieldErrors errors, JsonObject? spec, FieldPath path)
    {
        var volumes = ValidateVolumes(errors, spec, path.Child("volumes"));
        ContainerValidation.ValidateContainers(errors, spec, volumes, path.Child("containers"));
        ContainerValidation.ValidateInitContainers(errors, spec, volumes, path.Child("initContainers"));
        ValidateHostNetworkPorts(errors, spec, path);
        ValidateRestartPolicy(errors, Str(spec, "restartPolicy"), path.Child("restartPolicy"));
        ValidateDnsPolicy(errors, Str(spec, "dnsPolicy"), path.Child("dnsPolicy"));
        MetadataValidation.ValidateLabels(errors, Obj(spec, "nodeSelector"), path.Child("nodeSelector"));
        SecurityContextValidation.ValidatePod(errors, spec, path);
        ValidateImagePullSecrets(errors, spec, path.Child("imagePullSecrets"));
        SchedulingValidation.ValidateAffinity(errors, Obj(spec, "affinity"), path.Child("affinity"));
        PodDnsValidation.ValidateDnsConfig(errors, spec, path.Child("dnsConfig"));
        foreach (var (index, gate) in Items(spec, "readinessGates"))
        {
            var condition = Str(gate, "conditionType");
            errors.AddMessages(path.Child("readinessGates").Index(index).Child("conditionType"), condition, NameRules.QualifiedName(condition));
        }

        ValidateSchedulingGates(errors, spec, path.Child("schedulingGates"));
        TopologySpreadValidation.Validate(errors, spec, path.Child("topologySpreadConstraints"));
        ValidateHostUsers(errors, spec, path);
        var serviceAccount = Str(spec, "serviceAccountName");
        if (serviceAccount.Length > 0)
        {
            errors.AddMessages(path.Child("serviceAccountName"), serviceAccount, NameRules.Dns1123Subdomain(serviceAccount));
        }

        var nodeName = Str(spec, "nodeName");
        if (nodeName.Length > 0)
        {
            errors.AddMessages(path.Child("nodeName"), nodeName, NameRules.Dns1123Subdomain(nodeName));
        }

        if (Int(spec, "activeDeadlineSeconds") is { } deadline && deadline is < 1 or > int.MaxValue)
        {
            errors.Invalid(path.Child("activeDeadlineSeconds"), deadline, NameRules.InclusiveRangeError(1, int.MaxValue));
        }

        foreach (var field in new[] { "hostname", "subdomain" })
        {
            var value = Str(spec, field);
            if (value.Length > 0)
            {
                errors.AddMessages(path.Child(field), value, NameRules.Dns1123Label(value));
            }
        }

        if (Arr(spec, "tolerations").Count > 0)
        {
            SchedulingValidation.ValidateTolerations(errors, spec, path.Child("tolerations"));
        }

        PodDnsValidation.ValidateHostAliases(errors, spec, path.Child("hostAliases"));
        var priorityClass = Str(spec, "priorityClassName");
        if (priorityClass.Length > 0)
        {
            errors.AddMessages(path.Child("priorityClassName"), priorityClass, NameRules.Dns1123Subdomain(priorityClass));
        }

        if (spec?["runtimeClassName"] is { } runtimeClassNode)
        {
            var runtimeClass = GoValue.Text(runtimeClassNode);
            errors.AddMessages(path.Child("runtimeClassName"), runtimeClass, NameRules.Dns1123Subdomain(runtimeClass));
        }

        if (spec?["preemptionPolicy"] is { } preemptionNode)
        {
            switch (GoValue.Text(preemptionNode))
            {
                case "PreemptLowerPriority" or "Never":
                    break;
                case "":
                    errors.Required(path.Child("preemptionPolicy"));
                    break;
                case var other:
                    errors.NotSupported(path.Child("preemptionPolicy"), other, "PreemptLowerPriority", "Never");
                    break;
            }
        }

        ValidateOs(errors, spec, path);
    }

    /// <summary>Only the name of a pull secret may be given (the real server compares the reference with its name alone).</summary>
    private static void ValidateImagePullSecrets(FieldErrors errors, JsonObject? spec, FieldPath path)
    {
        foreach (var (index, reference) in Items(spec, "imagePullSecrets"))
        {
            if (reference.Any(kv => kv.Key != "name"))
            {
                errors.Invalid(path.Index(index), reference, "only name may be set");
            }
        }
    }

    private static void ValidateSchedulingGates(FieldErrors errors, JsonObject? spec, FieldPath path)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (index, gate) in Items(spec, "schedulingGates"))
        {
            var name = Str(gate, "name");
            errors.AddMessages(path.Index(index), name, NameRules.QualifiedName(name));
            if (!seen.Add(name))
            {
                errors.Duplicate(path.Index(index), name);
            }
        }
    }

    /// <summary>A pod in its own user namespace may not share the host's network, PID or IPC namespace.</summary>
    private static void ValidateHostUsers(FieldErrors errors, JsonObject? spec, FieldPath path)
    {
        if (spec?["hostUsers"].GetBool() != false)
        {
            return;
        }

        // The real server's paths, capitals included: the internal type keeps these in the security context.
        foreach (var (field, name) in new[] { ("hostNetwork", "hostNetwork"), ("hostPID", "HostPID"), ("hostIPC", "HostIPC") })
        {
            if (spec[field].GetBool() == true)
            {
                errors.Forbidden(path.Child(name), "when `pod.Spec.HostUsers` is false");
            }
        }
    }

    /// <summary><c>spec.os</c>, and the fields that the named OS cannot use.</summary>
    private static void ValidateOs(FieldErrors errors, JsonObject? spec, FieldPath path)
    {
        if (Obj(spec, "os") is not { } os)
        {
            return;
        }

        var name = Str(os, "name");
        if (name.Length == 0)
        {
            errors.Required(path.Child("os", "name"), "cannot be empty");
            return;
        }

        if (name is not ("linux" or "windows"))
        {
            errors.NotSupported(path.Child("os"), name, "linux", "windows");
            return;
        }

        var context = Obj(spec, "securityContext");
        if (name == "linux")
        {
            if (Has(context, "windowsOptions"))
            {
                errors.Forbidden(path.Child("securityContext", "windowsOptions"), "windows options cannot be set for a linux pod");
            }

            foreach (var (containerPath, container) in AllContainers(spec!, path))
            {
                if (Has(Obj(container, "securityContext"), "windowsOptions"))
                {
                    errors.Forbidden(containerPath.Child("securityContext", "windowsOptions"), "windows options cannot be set for a linux pod");
                }
            }

            return;
        }

        const string NotForWindows = "cannot be set for a windows pod";
        foreach (var field in new[] { "appArmorProfile", "seLinuxOptions" })
        {
            if (Has(context, field))
            {
                errors.Forbidden(path.Child("securityContext", field), NotForWindows);
            }
        }

        if (Has(spec, "hostUsers"))
        {
            errors.Forbidden(path.Child("hostUsers"), NotForWindows);
        }

        foreach (var field in new[] { "hostPID", "hostIPC" })
        {
            if (spec![field].GetBool() == true)
            {
                errors.Forbidden(path.Child(field), NotForWindows);
            }
        }

        foreach (var field in new[] { "seccompProfile", "fsGroup", "fsGroupChangePolicy" })
        {
            if (Has(context, field))
            {
                errors.Forbidden(path.Child("securityContext", field), NotForWindows);
            }
        }

        if (Arr(context, "sysctls").Count > 0)
        {
            errors.Forbidden(path.Child("securityContext", "sysctls"), NotForWindows);
        }

        if (Has(spec, "shareProcessNamespace"))
        {
            errors.Forbidden(path.Child("shareProcessNamespace"), NotForWindows);
        }

        foreach (var field in new[] { "runAsUser", "runAsGroup", "supplementalGroups" })
        {
            if (Has(context, field))
            {
                errors.Forbidden(path.Child("securityContext", field), NotForWindows);
            }
        }

        foreach (var (containerPath, container) in AllContainers(spec!, path))
        {
            var containerContext = Obj(container, "securityContext");
            foreach (var field in new[] { "appArmorProfile", "seLinuxOptions", "seccompProfile", "capabilities", "readOnlyRootFilesystem",
                "privileged", "allowPrivilegeEscalation", "procMount", "runAsUser", "runAsGroup" })
            {
                if (Has(containerContext, field))
                {
                    errors.Forbidden(containerPath.Child("securityContext", field), NotForWindows);
                }
            }
        }
    }

    private static IEnumerable<(FieldPath Path, JsonObject Container)> AllContainers(JsonObject spec, FieldPath path)
    {
        foreach (var list in new[] { "initContainers", "containers", "ephemeralContainers" })
        {
            foreach (var (index, container) in Items(spec, list))
            {
                yield return (path.Child(list).Index(index), container);
            }
        }
    }

    /// <summary>Volumes by name; a volume with errors is left out, so mounts of it are "Not found" as on the real server.</summary>
    private static HashSet<string> ValidateVolumes(FieldErrors errors, JsonObject? spec, FieldPath path)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (index, volume) in Items(spec, "volumes"))
        {
            var volumeErrors = new FieldErrors();
            var itemPath = path.Index(index);
            var name = Str(volume, "name");
            ValidateVolumeSource(volumeErrors, volume, itemPath);
            if (name.Length == 0)
            {
                volumeErrors.Required(itemPath.Child("name"));
            }
            else
            {
                volumeErrors.AddMessages(itemPath.Child("name"), name, NameRules.Dns1123Label(name));
            }

            if (names.Contains(name))
            {
                volumeErrors.Duplicate(itemPath.Child("name"), name);
            }

            if (volumeErrors.Count == 0)
            {
                names.Add(name);
            }
            else
            {
                errors.AddRange(volumeErrors);
            }
        }

        return names;
    }

    private static void ValidateVolumeSource(FieldErrors errors, JsonObject volume, FieldPath path)
    {
        var count = 0;
        foreach (var source in VolumeSources)
        {
            if (volume[source] is not JsonObject body)
            {
                continue;
            }

            if (count > 0)
            {
                errors.Forbidden(path.Child(source), "may not specify more than 1 volume type");
                continue;
            }

            count++;
            var sourcePath = path.Child(source);
            switch (source)
            {
                case "hostPath":
                    ValidateHostPath(errors, body, sourcePath);
                    break;
                case "emptyDir" when body["sizeLimit"] is JsonValue limit && Quantity.TryParse(GoValue.Text(limit)) is { IsNegative: true }:
                    errors.Forbidden(sourcePath.Child("sizeLimit"), "SizeLimit field must be a valid resource quantity");
                    break;
                case "secret":
                    if (Str(body, "secretName").Length == 0)
                    {
                        errors.Required(sourcePath.Child("secretName"));
                    }

                    ValidateProjectionItems(errors, body, sourcePath);
                    break;
                case "configMap":
                    {
                        var name = Str(body, "name");
                        if (name.Length == 0)
                        {
                            errors.Required(sourcePath.Child("name"));
                        }
                        else
                        {
                            errors.AddMessages(sourcePath.Child("name"), name, NameRules.Dns1123Subdomain(name));
                        }

                        ValidateProjectionItems(errors, body, sourcePath);
                        break;
                    }

                case "persistentVolumeClaim" when Str(body, "claimName").Length == 0:
                    errors.Required(sourcePath.Child("claimName"));
                    break;
                case "csi" when Str(body, "driver").Length == 0:
                    errors.Required(sourcePath.Child("driver"));
                    break;
                case "nfs":
                    if (Str(body, "server").Length == 0)
                    {
                        errors.Required(sourcePath.Child("server"));
                    }

                    if (Str(body, "path").Length == 0)
                    {
                        errors.Required(sourcePath.Child("path"));
                    }
                    else if (!Str(body, "path").StartsWith('/'))
                    {
                        errors.Invalid(sourcePath.Child("path"), Str(body, "path"), "must be an absolute path");
                    }

                    break;
            }
        }

        if (count == 0)
        {
            errors.Required(path, "must specify a volume type");
        }
    }

    private static void ValidateHostPath(FieldErrors errors, JsonObject hostPath, FieldPath path)
    {
        var target = Str(hostPath, "path");
        if (target.Length == 0)
        {
            errors.Required(path.Child("path"));
            return;
        }

        if (target.Split('/').Contains(".."))
        {
            errors.Invalid(path.Child("path"), target, "must not contain '..'");
        }

        if (hostPath["type"] is { } typeNode)
        {
            var type = GoValue.Text(typeNode);
            if (!HostPathTypes.Contains(type))
            {
                errors.NotSupported(path.Child("type"), type, HostPathTypes);
            }
        }
    }

    private static void ValidateProjectionItems(FieldErrors errors, JsonObject source, FieldPath path)
    {
        if (Int(source, "defaultMode") is { } mode && mode is < 0 or > 511)
        {
            errors.Invalid(path.Child("defaultMode"), mode, FileModeError);
        }

        foreach (var (index, item) in Items(source, "items"))
        {
            var itemPath = path.Child("items").Index(index);
            if (Str(item, "key").Length == 0)
            {
                errors.Required(itemPath.Child("key"));
            }

            var target = Str(item, "path");
            if (target.Length == 0)
            {
                errors.Required(itemPath.Child("path"));
            }

            ValidateLocalDescendingPath(errors, target, itemPath.Child("path"));
            if (target.StartsWith("..", StringComparison.Ordinal))
            {
                errors.Invalid(itemPath.Child("path"), target, "must not start with '..'");
            }

            if (Int(item, "mode") is { } itemMode && itemMode is < 0 or > 511)
            {
                errors.Invalid(itemPath.Child("mode"), itemMode, FileModeError);
            }
        }
    }

    public static void ValidateLocalDescendingPath(FieldErrors errors, string target, FieldPath path)
    {
        if (target.StartsWith('/'))
        {
            errors.Invalid(path, target, "must be a relative path");
        }

        if (target.Replace('\\', '/').Split('/').Contains(".."))
        {
            errors.Invalid(path, target, "must not contain '..'");
        }
    }

    private static void ValidateHostNetworkPorts(FieldErrors errors, JsonObject? spec, FieldPath path)
    {
        if (spec?["hostNetwork"].GetBool() != true)
        {
            return;
        }

        foreach (var list in new[] { "containers", "initContainers" })
        {
            foreach (var (ci, container) in Items(spec, list))
            {
                foreach (var (pi, port) in Items(container, "ports"))
                {
                    var containerPort = Int(port, "containerPort") ?? 0;
                    var hostPort = Int(port, "hostPort") ?? 0;
                    if (hostPort != containerPort)
                    {
                        errors.Invalid(path.Child(list).Index(ci).Child("ports").Index(pi).Child("hostPort"), hostPort,
                            "must match `containerPort` when `hostNetwork` is true");
                    }
                }
            }
        }
    }

    public static void ValidateRestartPolicy(FieldErrors errors, string policy, FieldPath path)
    {
        switch (policy)
        {
            case "Always" or "OnFailure" or "Never":
                break;
            case "":
                errors.Required(path);
                break;
            default:
                errors.NotSupported(path, policy, "Always", "OnFailure", "Never");
                break;
        }
    }

    private static void ValidateDnsPolicy(FieldErrors errors, string policy, FieldPath path)
    {
        switch (policy)
        {
            case "ClusterFirstWithHostNet" or "ClusterFirst" or "Default" or "None":
                break;
            case "":
                errors.Required(path);
                break;
            default:
                errors.NotSupported(path, policy, "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None");
                break;
        }
    }

}
