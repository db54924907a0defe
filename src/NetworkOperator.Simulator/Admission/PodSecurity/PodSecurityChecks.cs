using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Serialization;

namespace NetworkOperator.Simulator.Admission.PodSecurity;

/// <summary>One failed check: a short reason and the detail naming the offending fields (may be empty).</summary>
public sealed record PodSecurityViolation(string Reason, string Detail);

/// <summary>
/// The Pod Security Standards' checks on a pod's metadata and spec, with the reasons and detail wording the real
/// admission plugin reports, evaluated in its order: the baseline checks, then (for restricted) the restricted ones.
/// Baseline checks that a restricted check supersedes (added capabilities, hostPath volumes, seccomp) run at baseline
/// only, after the others. Checks apply from the policy version that introduced them.
/// </summary>
public static class PodSecurityChecks
{
    private static readonly HashSet<string> DefaultCapabilities = new(StringComparer.Ordinal)
    {
        "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID",
        "SETPCAP", "SETUID", "SYS_CHROOT",
    };

    private static readonly string[] SafeSysctls =
    [
        "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
        "net.ipv4.ip_unprivileged_port_start",
    ];

    private static readonly string[] SafeSysctls127 = ["net.ipv4.ip_local_reserved_ports"];

    private static readonly string[] SafeSysctls129 =
        ["net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"];

    private static readonly string[] HostNamespaceFields = ["hostIPC", "hostNetwork", "hostPID"];

    private static readonly string[] ContainerLists = ["initContainers", "containers", "ephemeralContainers"];

    private static readonly HashSet<string> AllowedSeLinuxTypes = new(StringComparer.Ordinal) { "", "container_t", "container_init_t", "container_kvm_t" };

    private static readonly HashSet<string> RestrictedAllowedVolumeSources = new(StringComparer.Ordinal)
    {
        "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret",
    };

    /// <summary>The violations of <paramref name="policy"/>; empty when the pod is allowed (always for privileged).</summary>
    public static IReadOnlyList<PodSecurityViolation> Evaluate(PodSecurityLevelVersion policy, JsonObject? metadata, JsonObject spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var violations = new List<PodSecurityViolation>();
        if (policy.Level == PodSecurityLevel.Privileged)
        {
            return violations;
        }

        // The plugin's order: baseline checks, then either the baseline checks a restricted one supersedes (baseline) or
        // the restricted checks.
        var pod = new PodView(metadata ?? new JsonObject(), spec);
        Add(violations, AppArmor(pod));
        Add(violations, HostNamespaces(pod));
        Add(violations, HostPorts(pod));
        Add(violations, Privileged(pod));
        Add(violations, ProcMount(pod));
        Add(violations, SeLinux(pod));
        Add(violations, Sysctls(pod, policy));
        Add(violations, WindowsHostProcess(pod));
        if (policy.Level == PodSecurityLevel.Baseline)
        {
            Add(violations, CapabilitiesBaseline(pod));
            Add(violations, HostPathVolumes(pod));
            Add(violations, policy.AtLeast(19) ? SeccompBaseline(pod) : SeccompAnnotations(pod));
            return violations;
        }

        Add(violations, AllowPrivilegeEscalation(pod, policy));
        if (policy.AtLeast(22))
        {
            Add(violations, CapabilitiesRestricted(pod, policy));
        }

        Add(violations, RestrictedVolumes(pod));
        Add(violations, RunAsNonRoot(pod));
        if (policy.AtLeast(23))
        {
            Add(violations, RunAsUser(pod));
        }

        if (policy.AtLeast(19))
        {
            Add(violations, SeccompRestricted(pod, policy));
        }

        return violations;
    }

    /// <summary><c>privileged (container "a" must ...), host namespaces (hostNetwork=true)</c>, as the plugin joins them.</summary>
    public static string Describe(IEnumerable<PodSecurityViolation> violations) =>
        string.Join(", ", violations.Select(v => v.Detail.Length == 0 ? v.Reason : $"{v.Reason} ({v.Detail})"));

    private static void Add(List<PodSecurityViolation> violations, PodSecurityViolation? violation)
    {
        if (violation is not null)
        {
            violations.Add(violation);
        }
    }

    private static PodSecurityViolation? AppArmor(PodView pod)
    {
        const string prefix = "container.apparmor.security.beta.kubernetes.io/";
        var bad = pod.Annotations
            .Where(a => a.Key.StartsWith(prefix, StringComparison.Ordinal)
                && !(a.Value.Length == 0 || a.Value == "runtime/default" || a.Value.StartsWith("localhost/", StringComparison.Ordinal)))
            .Select(a => $"{a.Key}={Quote(a.Value)}")
            .ToList();
        bad.AddRange(pod.SecurityContexts()
            .Where(s => (s.Context?["appArmorProfile"] as JsonObject)?.GetString("type") == "Unconfined")
            .Select(s => $"{(s.Container is null ? "pod" : $"container {Quote(s.Container)}")} appArmorProfile.type={Quote("Unconfined")}"));
        if (bad.Count == 0)
        {
            return null;
        }

        bad.Sort(StringComparer.Ordinal);
        return new(Pluralize("forbidden AppArmor profile", "forbidden AppArmor profiles", bad.Count), string.Join(", ", bad));
    }

    private static PodSecurityViolation? CapabilitiesBaseline(PodView pod)
    {
        var bad = new List<string>();
        var caps = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var c in pod.Containers)
        {
            var added = Strings((c.SecurityContext?["capabilities"] as JsonObject)?["add"]).Where(a => !DefaultCapabilities.Contains(a)).ToList();
            if (added.Count > 0)
            {
                bad.Add(c.Name);
                caps.UnionWith(added);
            }
        }

        return bad.Count == 0 ? null : new("non-default capabilities",
            $"{Pluralize("container", "containers", bad.Count)} {JoinQuote(bad)} must not include {JoinQuote(caps)} in securityContext.capabilities.add");
    }

    private static PodSecurityViolation? HostNamespaces(PodView pod)
    {
        var used = HostNamespaceFields.Where(f => pod.Spec[f].GetBool() == true).Select(f => f + "=true").ToList();
        return used.Count == 0 ? null : new("host namespaces", string.Join(", ", used));
    }

    private static PodSecurityViolation? HostPathVolumes(PodView pod)
    {
        var names = pod.Volumes.Where(v => v["hostPath"] is not null).Select(v => v.GetString("name") ?? "").ToList();
        return names.Count == 0 ? null : new("hostPath volumes", $"{Pluralize("volume", "volumes", names.Count)} {JoinQuote(names)}");
    }

    private static PodSecurityViolation? HostPorts(PodView pod)
    {
        var bad = new List<string>();
        var ports = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var c in pod.Containers)
        {
            var hostPorts = (c.Json["ports"] as JsonArray)?.OfType<JsonObject>().Select(p => p["hostPort"].GetInt64() ?? 0).Where(p => p != 0).ToList() ?? [];
            if (hostPorts.Count > 0)
            {
                bad.Add(c.Name);
                ports.UnionWith(hostPorts.Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        return bad.Count == 0 ? null : new("hostPort",
            $"{Pluralize("container", "containers", bad.Count)} {JoinQuote(bad)} {Pluralize("uses", "use", bad.Count)} " +
            $"{Pluralize("hostPort", "hostPorts", ports.Count)} {string.Join(", ", ports)}");
    }

    private static PodSecurityViolation? Privileged(PodView pod)
    {
        var bad = pod.Containers.Where(c => c.SecurityContext?["privileged"].GetBool() == true).Select(c => c.Name).ToList();
        return bad.Count == 0 ? null : new("privileged",
            $"{Pluralize("container", "containers", bad.Count)} {JoinQuote(bad)} must not set securityContext.privileged=true");
    }

    private static PodSecurityViolation? ProcMount(PodView pod)
    {
        var bad = new List<string>();
        var types = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var c in pod.Containers)
        {
            if (c.SecurityContext?.GetString("procMount") is { } procMount && procMount != "Default")
            {
                bad.Add(c.Name);
                types.Add(procMount);
            }
        }

        return bad.Count == 0 ? null : new("procMount",
            $"{Pluralize("container", "containers", bad.Count)} {JoinQuote(bad)} must not set securityContext.procMount to {JoinQuote(types)}");
    }

    private static PodSecurityViolation? SeLinux(PodView pod)
    {
        var setters = new List<string>();
        var badTypes = new SortedSet<string>(StringComparer.Ordinal);
        var setUser = false;
        var setRole = false;
        bool Valid(JsonObject options)
        {
            var valid = true;
            var type = options.GetString("type") ?? "";
            if (!AllowedSeLinuxTypes.Contains(type))
            {
                valid = false;
                badTypes.Add(type);
            }

            if (!string.IsNullOrEmpty(options.GetString("user")))
            {
                valid = false;
                setUser = true;
            }

            if (!string.IsNullOrEmpty(options.GetString("role")))
            {
                valid = false;
                setRole = true;
            }

            return valid;
        }

        if (pod.PodSecurityContext?["seLinuxOptions"] is JsonObject podOptions && !Valid(podOptions))
        {
            setters.Add("pod");
        }

        var containers = pod.Containers.Where(c => c.SecurityContext?["seLinuxOptions"] is JsonObject o && !Valid(o)).Select(c => c.Name).ToList();
        if (containers.Count > 0)
        {
            setters.Add($"{Pluralize("container", "containers", containers.Count)} {JoinQuote(containers)}");
        }

        if (setters.Count == 0)
        {
            return null;
        }

        var data = new List<string>();
        if (badTypes.Count > 0)
        {
            data.Add($"{Pluralize("type", "types", badTypes.Count)} {JoinQuote(badTypes)}");
        }

        if (setUser)
        {
            data.Add("user may not be set");
        }

        if (setRole)
        {
            data.Add("role may not be set");
        }

        return new("seLinuxOptions", $"{string.Join(" and ", setters)} set forbidden securityContext.seLinuxOptions: {string.Join("; ", data)}");
    }

    private static bool ValidSeccomp(string? type) => type is "RuntimeDefault" or "Localhost";

    private static PodSecurityViolation? SeccompAnnotations(PodView pod)
    {
        static bool Valid(string v) => v is "runtime/default" or "docker/default" || v.StartsWith("localhost/", StringComparison.Ordinal);
        var bad = new SortedSet<string>(StringComparer.Ordinal);
        if (pod.Annotations.TryGetValue("seccomp.security.alpha.kubernetes.io/pod", out var podValue) && !Valid(podValue))
        {
            bad.Add($"seccomp.security.alpha.kubernetes.io/pod={Quote(podValue)}");
        }

        foreach (var c in pod.Containers)
        {
            var key = "container.seccomp.security.alpha.kubernetes.io/" + c.Name;
            if (pod.Annotations.TryGetValue(key, out var value) && !Valid(value))
            {
                bad.Add($"{key}={Quote(value)}");
            }
        }

        return bad.Count == 0 ? null : new("seccompProfile",
            $"forbidden {Pluralize("annotation", "annotations", bad.Count)} {string.Join(", ", bad)}");
    }

    private static PodSecurityViolation? SeccompBaseline(PodView pod)
    {
        var setters = new List<string>();
        var values = new SortedSet<string>(StringComparer.Ordinal);
        if ((pod.PodSecurityContext?["seccompProfile"] as JsonObject)?.GetString("type") is { } podType && !ValidSeccomp(podType))
        {
            setters.Add("pod");
            values.Add(podType);
        }

        var containers = new List<string>();
        foreach (var c in pod.Containers)
        {
            if (c.SecurityContext?["seccompProfile"] is JsonObject profile && !ValidSeccomp(profile.GetString("type")))
            {
                containers.Add(c.Name);
                values.Add(profile.GetString("type") ?? "");
            }
        }

        if (containers.Count > 0)
        {
            setters.Add($"{Pluralize("container", "containers", containers.Count)} {JoinQuote(containers)}");
        }

        return setters.Count == 0 ? null : new("seccompProfile",
            $"{string.Join(" and ", setters)} must not set securityContext.seccompProfile.type to {JoinQuote(values)}");
    }

    private static PodSecurityViolation? SeccompRestricted(PodView pod, PodSecurityLevelVersion policy)
    {
        if (policy.AtLeast(25) && pod.IsWindows)
        {
            return null;
        }

        var setters = new List<string>();
        var values = new SortedSet<string>(StringComparer.Ordinal);
        var podSet = false;
        if (pod.PodSecurityContext?["seccompProfile"] is JsonObject podProfile)
        {
            if (!ValidSeccomp(podProfile.GetString("type")))
            {
                setters.Add("pod");
                values.Add(podProfile.GetString("type") ?? "");
            }
            else
            {
                podSet = true;
            }
        }

        var explicitlyBad = new List<string>();
        var implicitlyBad = new List<string>();
        foreach (var c in pod.Containers)
        {
            if (c.SecurityContext?["seccompProfile"] is JsonObject profile)
            {
                if (!ValidSeccomp(profile.GetString("type")))
                {
                    explicitlyBad.Add(c.Name);
                    values.Add(profile.GetString("type") ?? "");
                }
            }
            else if (!podSet)
            {
                implicitlyBad.Add(c.Name);
            }
        }

        if (explicitlyBad.Count > 0)
        {
            setters.Add($"{Pluralize("container", "containers", explicitlyBad.Count)} {JoinQuote(explicitlyBad)}");
        }

        if (setters.Count > 0)
        {
            return new("seccompProfile", $"{string.Join(" and ", setters)} must not set securityContext.seccompProfile.type to {JoinQuote(values)}");
        }

        return implicitlyBad.Count == 0 ? null : new("seccompProfile",
            $"pod or {Pluralize("container", "containers", implicitlyBad.Count)} {JoinQuote(implicitlyBad)} must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"");
    }

    private static PodSecurityViolation? Sysctls(PodView pod, PodSecurityLevelVersion policy)
    {
        var allowed = new HashSet<string>(SafeSysctls, StringComparer.Ordinal);
        if (policy.AtLeast(27))
        {
            allowed.UnionWith(SafeSysctls127);
        }

        if (policy.AtLeast(29))
        {
            allowed.UnionWith(SafeSysctls129);
        }

        var bad = ((pod.PodSecurityContext?["sysctls"] as JsonArray)?.OfType<JsonObject>() ?? [])
            .Select(s => s.GetString("name") ?? "").Where(n => !allowed.Contains(n)).ToList();
        return bad.Count == 0 ? null : new("forbidden sysctls", string.Join(", ", bad));
    }

    private static PodSecurityViolation? WindowsHostProcess(PodView pod)
    {
        static bool HostProcess(JsonObject? context) => (context?["windowsOptions"] as JsonObject)?["hostProcess"].GetBool() == true;
        var setters = new List<string>();
        if (HostProcess(pod.PodSecurityContext))
        {
            setters.Add("pod");
        }

        var containers = pod.Containers.Where(c => HostProcess(c.SecurityContext)).Select(c => c.Name).ToList();
        if (containers.Count > 0)
        {
            setters.Add($"{Pluralize("container", "containers", containers.Count)} {JoinQuote(containers)}");
        }

        return setters.Count == 0 ? null : new("hostProcess",
            $"{string.Join(" and ", setters)} must not set securityContext.windowsOptions.hostProcess=true");
    }

    private static PodSecurityViolation? AllowPrivilegeEscalation(PodView pod, PodSecurityLevelVersion policy)
    {
        if (policy.AtLeast(25) && pod.IsWindows)
        {
            return null;
        }

        var bad = pod.Containers.Where(c => c.SecurityContext?["allowPrivilegeEscalation"].GetBool() != false).Select(c => c.Name).ToList();
        return bad.Count == 0 ? null : new("allowPrivilegeEscalation != false",
            $"{Pluralize("container", "containers", bad.Count)} {JoinQuote(bad)} must set securityContext.allowPrivilegeEscalation=false");
    }

    private static PodSecurityViolation? CapabilitiesRestricted(PodView pod, PodSecurityLevelVersion policy)
    {
        var missingDrop = new List<string>();
        var adding = new List<string>();
        var forbidden = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var c in pod.Containers)
        {
            var capabilities = c.SecurityContext?["capabilities"] as JsonObject;
            if (capabilities is null)
            {
                if (!(policy.AtLeast(25) && pod.IsWindows))
                {
                    missingDrop.Add(c.Name);
                }

                continue;
            }

            if (!Strings(capabilities["drop"]).Contains("ALL") && !(policy.AtLeast(25) && pod.IsWindows))
            {
                missingDrop.Add(c.Name);
            }

            var added = Strings(capabilities["add"]).Where(a => a != "NET_BIND_SERVICE").ToList();
            if (added.Count > 0)
            {
                adding.Add(c.Name);
                forbidden.UnionWith(added);
            }
        }

        var details = new List<string>();
        if (missingDrop.Count > 0)
        {
            details.Add($"{Pluralize("container", "containers", missingDrop.Count)} {JoinQuote(missingDrop)} must set securityContext.capabilities.drop=[\"ALL\"]");
        }

        if (adding.Count > 0)
        {
            details.Add($"{Pluralize("container", "containers", adding.Count)} {JoinQuote(adding)} must not include {JoinQuote(forbidden)} in securityContext.capabilities.add");
        }

        return details.Count == 0 ? null : new("unrestricted capabilities", string.Join("; ", details));
    }

    private static PodSecurityViolation? RestrictedVolumes(PodView pod)
    {
        var bad = new List<string>();
        var types = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var volume in pod.Volumes)
        {
            var source = volume.Select(p => p.Key).FirstOrDefault(k => k != "name");
            if (source is null || RestrictedAllowedVolumeSources.Contains(source))
            {
                continue;
            }

            bad.Add(volume.GetString("name") ?? "");
            types.Add(source);
        }

        return bad.Count == 0 ? null : new("restricted volume types",
            $"{Pluralize("volume", "volumes", bad.Count)} {JoinQuote(bad)} {Pluralize("uses", "use", bad.Count)} " +
            $"{Pluralize("restricted volume type", "restricted volume types", types.Count)} {JoinQuote(types)}");
    }

    private static PodSecurityViolation? RunAsNonRoot(PodView pod)
    {
        var setters = new List<string>();
        var podNonRoot = false;
        if (pod.PodSecurityContext?["runAsNonRoot"].GetBool() is { } podValue)
        {
            if (podValue)
            {
                podNonRoot = true;
            }
            else
            {
                setters.Add("pod");
            }
        }

        var explicitlyBad = new List<string>();
        var implicitlyBad = new List<string>();
        foreach (var c in pod.Containers)
        {
            if (c.SecurityContext?["runAsNonRoot"].GetBool() is { } value)
            {
                if (!value)
                {
                    explicitlyBad.Add(c.Name);
                }
            }
            else if (!podNonRoot)
            {
                implicitlyBad.Add(c.Name);
            }
        }

        if (explicitlyBad.Count > 0)
        {
            setters.Add($"{Pluralize("container", "containers", explicitlyBad.Count)} {JoinQuote(explicitlyBad)}");
        }

        if (setters.Count > 0)
        {
            return new("runAsNonRoot != true", $"{string.Join(" and ", setters)} must not set securityContext.runAsNonRoot=false");
        }

        return implicitlyBad.Count == 0 ? null : new("runAsNonRoot != true",
            $"pod or {Pluralize("container", "containers", implicitlyBad.Count)} {JoinQuote(implicitlyBad)} must set securityContext.runAsNonRoot=true");
    }

    private static PodSecurityViolation? RunAsUser(PodView pod)
    {
        var setters = new List<string>();
        if (pod.PodSecurityContext?["runAsUser"].GetInt64() == 0)
        {
            setters.Add("pod");
        }

        var containers = pod.Containers.Where(c => c.SecurityContext?["runAsUser"].GetInt64() == 0).Select(c => c.Name).ToList();
        if (containers.Count > 0)
        {
            setters.Add($"{Pluralize("container", "containers", containers.Count)} {JoinQuote(containers)}");
        }

        return setters.Count == 0 ? null : new("runAsUser=0", $"{string.Join(" and ", setters)} must not set runAsUser=0");
    }

    private static IEnumerable<string> Strings(JsonNode? node) =>
        (node as JsonArray)?.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : v.ToJsonString()) ?? [];

    private static string Pluralize(string singular, string plural, int count) => count == 1 ? singular : plural;

    private static string JoinQuote(IEnumerable<string> items) => string.Join(", ", items.Select(Quote));

    // Go's %q for the plain ASCII names Kubernetes allows here.
    private static string Quote(string value) => JsonValue.Create(value).ToJsonString(SimulatorJson.Compact);

    /// <summary>The parts of a pod (or template) the checks read; containers in the plugin's order: init, regular, ephemeral.</summary>
    private sealed class PodView
    {
        public PodView(JsonObject metadata, JsonObject spec)
        {
            Spec = spec;
            Annotations = (metadata["annotations"] as JsonObject).GetStringMap();
            PodSecurityContext = spec["securityContext"] as JsonObject;
            Containers = [.. ContainerLists
                .SelectMany(list => (spec[list] as JsonArray)?.OfType<JsonObject>() ?? [])
                .Select(c => new ContainerView(c.GetString("name") ?? "", c, c["securityContext"] as JsonObject))];
            Volumes = [.. (spec["volumes"] as JsonArray)?.OfType<JsonObject>() ?? []];
            IsWindows = (spec["os"] as JsonObject)?.GetString("name") == "windows";
        }

        public JsonObject Spec { get; }

        public IReadOnlyDictionary<string, string> Annotations { get; }

        public JsonObject? PodSecurityContext { get; }

        public IReadOnlyList<ContainerView> Containers { get; }

        public IReadOnlyList<JsonObject> Volumes { get; }

        public bool IsWindows { get; }

        public IEnumerable<(string? Container, JsonObject? Context)> SecurityContexts() =>
            [(null, PodSecurityContext), .. Containers.Select(c => ((string?)c.Name, c.SecurityContext))];
    }

    private sealed record ContainerView(string Name, JsonObject Json, JsonObject? SecurityContext);
}
