using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NetworkOperator.Simulator.Serialization;
using static NetworkOperator.Simulator.Validation.Json;

namespace NetworkOperator.Simulator.Validation;

/// <summary>
/// Security contexts of pods and containers, with the real server's rules and messages: user and group ids, the
/// privilege escalation conflicts, seccomp, AppArmor and Windows options, sysctls and their host namespaces.
/// </summary>
internal static partial class SecurityContextValidation
{
    private const int SysctlMaxLength = 253;
    private const string SysctlPattern = @"^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$";
    private const int MaxGmsaCredentialSpecLength = 64 * 1024;

    private static readonly string[] SeccompTypes = ["Localhost", "RuntimeDefault", "Unconfined"];
    private static readonly string[] FsGroupChangePolicies = ["Always", "OnRootMismatch"];

    /// <summary>A container's securityContext; <paramref name="hostUsers"/> is false only for a pod in its own user namespace.</summary>
    public static void ValidateContainer(FieldErrors errors, JsonObject? context, FieldPath path, bool hostUsers)
    {
        if (context is null)
        {
            return;
        }

        ValidateId(errors, context, "runAsUser", path);
        ValidateId(errors, context, "runAsGroup", path);
        if (context["procMount"] is { } procMountNode)
        {
            var procMount = GoValue.Text(procMountNode);
            if (procMount is not ("Default" or "Unmasked"))
            {
                errors.NotSupported(path.Child("procMount"), procMount, "Default", "Unmasked");
            }

            if (hostUsers && procMount == "Unmasked")
            {
                errors.Invalid(path.Child("procMount"), procMount, "`hostUsers` must be false to use `Unmasked`");
            }
        }

        ValidateSeccompProfile(errors, Obj(context, "seccompProfile"), path.Child("seccompProfile"));
        if (context["allowPrivilegeEscalation"].GetBool() == false)
        {
            if (context["privileged"].GetBool() == true)
            {
                errors.Invalid(path, context, "cannot set `allowPrivilegeEscalation` to false and `privileged` to true");
            }

            foreach (var capability in Arr(Obj(context, "capabilities"), "add"))
            {
                if (GoValue.Text(capability) == "CAP_SYS_ADMIN")
                {
                    errors.Invalid(path, context, "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN");
                }
            }
        }

        ValidateWindowsOptions(errors, Obj(context, "windowsOptions"), path.Child("windowsOptions"));
        ValidateAppArmorProfile(errors, Obj(context, "appArmorProfile"), path.Child("appArmorProfile"));
    }

    /// <summary>A pod spec's securityContext, with the host namespaces the v1 spec keeps beside it.</summary>
    public static void ValidatePod(FieldErrors errors, JsonObject? spec, FieldPath specPath)
    {
        var context = Obj(spec, "securityContext");
        if (context is null)
        {
            return;
        }

        var path = specPath.Child("securityContext");
        foreach (var field in new[] { "fsGroup", "runAsUser", "runAsGroup" })
        {
            ValidateId(errors, context, field, path);
        }

        foreach (var (index, group) in Arr(context, "supplementalGroups").Select((g, i) => (i, g)))
        {
            if (group.GetInt64() is { } gid && !IsValidId(gid))
            {
                errors.Invalid(path.Child("supplementalGroups").Index(index), gid, IdRangeError);
            }
        }

        // The internal type keeps hostPID and shareProcessNamespace inside the security context, hence the path.
        if (spec?["shareProcessNamespace"].GetBool() == true && spec?["hostPID"].GetBool() == true)
        {
            errors.InvalidPrinted(path.Child("shareProcessNamespace"), "true", "ShareProcessNamespace and HostPID cannot both be enabled");
        }

        if (Arr(context, "sysctls").Count > 0)
        {
            ValidateSysctls(errors, spec!, context, path.Child("sysctls"));
        }

        if (context["fsGroupChangePolicy"] is { } policyNode && !FsGroupChangePolicies.Contains(GoValue.Text(policyNode)))
        {
            errors.NotSupported(path.Child("fsGroupChangePolicy"), GoValue.Text(policyNode), FsGroupChangePolicies);
        }

        ValidateSeccompProfile(errors, Obj(context, "seccompProfile"), path.Child("seccompProfile"));
        ValidateWindowsOptions(errors, Obj(context, "windowsOptions"), path.Child("windowsOptions"));
        ValidateAppArmorProfile(errors, Obj(context, "appArmorProfile"), path.Child("appArmorProfile"));
    }

    private static readonly string IdRangeError = NameRules.InclusiveRangeError(0, int.MaxValue);

    private static bool IsValidId(long id) => id is >= 0 and <= int.MaxValue;

    private static void ValidateId(FieldErrors errors, JsonObject context, string field, FieldPath path)
    {
        if (Int(context, field) is { } id && !IsValidId(id))
        {
            errors.Invalid(path.Child(field), id, IdRangeError);
        }
    }

    private static void ValidateSysctls(FieldErrors errors, JsonObject spec, JsonObject context, FieldPath path)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (index, sysctl) in Items(context, "sysctls"))
        {
            var namePath = path.Index(index).Child("name");
            var name = Str(sysctl, "name");
            if (name.Length == 0)
            {
                errors.Required(namePath);
            }
            else if (name.Length > SysctlMaxLength || !SysctlName().IsMatch(name))
            {
                errors.Invalid(namePath, name, $"must have at most {SysctlMaxLength} characters and match regex {SysctlPattern}");
            }
            else if (names.Contains(name))
            {
                errors.Duplicate(namePath, name);
            }

            switch (SysctlNamespace(name))
            {
                case "net" when spec["hostNetwork"].GetBool() == true:
                    errors.Invalid(namePath, name, "may not be specified when 'hostNetwork' is true");
                    break;
                case "ipc" when spec["hostIPC"].GetBool() == true:
                    errors.Invalid(namePath, name, "may not be specified when 'hostIPC' is true");
                    break;
            }

            names.Add(name);
        }
    }

    /// <summary>The kernel namespace a sysctl belongs to ("net", "ipc" or null), for names with dots or slashes.</summary>
    private static string? SysctlNamespace(string name)
    {
        var separator = name.IndexOfAny(['.', '/']);
        if (separator >= 0 && name[separator] == '/')
        {
            name = string.Concat(name.Select(c => c switch { '/' => '.', '.' => '/', _ => c }));
        }

        if (name is "kernel.sem" or "kernel.shm_rmid_forced" or "kernel.shmall" or "kernel.shmmax" or "kernel.shmmni"
            or "kernel.msgmax" or "kernel.msgmnb" or "kernel.msgmni" || name.StartsWith("fs.mqueue.", StringComparison.Ordinal))
        {
            return "ipc";
        }

        return name.StartsWith("net.", StringComparison.Ordinal) ? "net" : null;
    }

    private static void ValidateSeccompProfile(FieldErrors errors, JsonObject? profile, FieldPath path)
    {
        if (profile is null)
        {
            return;
        }

        var type = Str(profile, "type");
        if (type.Length == 0)
        {
            errors.Required(path.Child("type"), "type is required when seccompProfile is set");
        }
        else if (!SeccompTypes.Contains(type))
        {
            errors.NotSupported(path.Child("type"), type, SeccompTypes);
        }

        if (type == "Localhost")
        {
            if (profile["localhostProfile"] is null)
            {
                errors.Required(path.Child("localhostProfile"), "must be set when seccomp type is Localhost");
            }
            else
            {
                PodSpecValidation.ValidateLocalDescendingPath(errors, Str(profile, "localhostProfile"), path.Child("localhostProfile"));
            }
        }
        else if (profile["localhostProfile"] is not null)
        {
            errors.Invalid(path.Child("localhostProfile"), profile, "can only be set when seccomp type is Localhost");
        }
    }

    private static void ValidateAppArmorProfile(FieldErrors errors, JsonObject? profile, FieldPath path)
    {
        if (profile is null)
        {
            return;
        }

        const int MaxLocalhostProfileLength = 4095;
        switch (Str(profile, "type"))
        {
            case "Localhost":
                if (profile["localhostProfile"] is null)
                {
                    errors.Required(path.Child("localhostProfile"), "must be set when AppArmor type is Localhost");
                    break;
                }

                var localhost = Str(profile, "localhostProfile");
                if (localhost.Trim() != localhost)
                {
                    errors.Invalid(path.Child("localhostProfile"), localhost, "must not be padded with whitespace");
                }
                else if (localhost.Length == 0)
                {
                    errors.Required(path.Child("localhostProfile"), "must be set when AppArmor type is Localhost");
                }

                if (System.Text.Encoding.UTF8.GetByteCount(localhost) > MaxLocalhostProfileLength)
                {
                    errors.TooLong(path.Child("localhostProfile"), MaxLocalhostProfileLength);
                }

                break;
            case "RuntimeDefault" or "Unconfined":
                if (profile["localhostProfile"] is not null)
                {
                    errors.Invalid(path.Child("localhostProfile"), Str(profile, "localhostProfile"), "can only be set when AppArmor type is Localhost");
                }

                break;
            case "":
                errors.Required(path.Child("type"), "type is required when appArmorProfile is set");
                break;
            case var other:
                errors.NotSupported(path.Child("type"), other, "Localhost", "RuntimeDefault", "Unconfined");
                break;
        }
    }

    private static void ValidateWindowsOptions(FieldErrors errors, JsonObject? options, FieldPath path)
    {
        if (options is null)
        {
            return;
        }

        if (options["gmsaCredentialSpecName"] is not null)
        {
            var name = Str(options, "gmsaCredentialSpecName");
            errors.AddMessages(path.Child("gmsaCredentialSpecName"), name, NameRules.Dns1123Subdomain(name));
        }

        if (options["gmsaCredentialSpec"] is not null)
        {
            var spec = Str(options, "gmsaCredentialSpec");
            if (spec.Length == 0)
            {
                errors.Invalid(path.Child("gmsaCredentialSpec"), spec, "gmsaCredentialSpec cannot be an empty string");
            }
            else if (System.Text.Encoding.UTF8.GetByteCount(spec) > MaxGmsaCredentialSpecLength)
            {
                errors.Invalid(path.Child("gmsaCredentialSpec"), spec, "gmsaCredentialSpec size must be under 64 KiB");
            }
        }

        if (options["runAsUserName"] is not null)
        {
            var userName = Str(options, "runAsUserName");
            foreach (var message in RunAsUserNameErrors(userName))
            {
                errors.Invalid(path.Child("runAsUserName"), userName, message);
            }
        }
    }

    private static IEnumerable<string> RunAsUserNameErrors(string userName)
    {
        if (userName.Length == 0)
        {
            yield return "runAsUserName cannot be an empty string";
            yield break;
        }

        if (userName.Any(c => c < 0x20 || c == 0x7f))
        {
            yield return "runAsUserName cannot contain control characters";
            yield break;
        }

        var parts = userName.Split('\\');
        if (parts.Length > 2)
        {
            yield return "runAsUserName cannot contain more than one backslash";
            yield break;
        }

        var (domain, user) = parts.Length == 1 ? ("", parts[0]) : (parts[0], parts[1]);
        if (System.Text.Encoding.UTF8.GetByteCount(domain) >= 256)
        {
            yield return "runAsUserName's Domain length must be under 256 characters";
        }

        if (parts.Length == 2 && !NetBiosDomain().IsMatch(domain) && !DnsDomain().IsMatch(domain))
        {
            yield return "runAsUserName's Domain doesn't match the NetBios nor the DNS format";
        }

        var userLength = System.Text.Encoding.UTF8.GetByteCount(user);
        if (userLength == 0)
        {
            yield return "runAsUserName's User cannot be empty";
        }
        else if (userLength > 104)
        {
            yield return "runAsUserName's User length must not be longer than 104 characters";
        }

        if (OnlyDotsOrSpaces().IsMatch(user))
        {
            yield return "runAsUserName's User cannot contain only periods or spaces";
        }

        if (InvalidUserNameCharacters().IsMatch(user))
        {
            yield return "runAsUserName's User cannot contain the following characters: \"/\\:;|=,+*?<>@[]";
        }
    }

    // Go's $ is the end of the text; .NET's also matches before a final newline, hence \z.
    [GeneratedRegex(@"^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?\z")]
    private static partial Regex SysctlName();

    [GeneratedRegex(@"^[^\\/:\*\?""<>|\.][^\\/:\*\?""<>|]{0,14}\z")]
    private static partial Regex NetBiosDomain();

    [GeneratedRegex(@"^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*\z")]
    private static partial Regex DnsDomain();

    [GeneratedRegex(@"^[\. ]+\z")]
    private static partial Regex OnlyDotsOrSpaces();

    [GeneratedRegex(@"[""/\\:;|=,\+\*\?<>@\[\]]")]
    private static partial Regex InvalidUserNameCharacters();
}
