using NetworkOperator.Simulator.Errors;

namespace NetworkOperator.Simulator.Admission.PodSecurity;

/// <summary>
/// The policy a namespace's <c>pod-security.kubernetes.io/*</c> labels select, each mode falling back to the
/// server's default when its label is absent. An unparsable enforce level or version evaluates as restricted/latest
/// (fail closed); unparsable warn and audit levels as privileged (fail open), as the real plugin resolves them.
/// </summary>
public sealed record NamespacePodSecurity(PodSecurityLevelVersion Enforce, PodSecurityLevelVersion Audit, PodSecurityLevelVersion Warn,
    IReadOnlyList<StatusCause> Errors)
{
    public const string Prefix = "pod-security.kubernetes.io/";
    public const string EnforceLabel = Prefix + "enforce";
    public const string AuditLabel = Prefix + "audit";
    public const string WarnLabel = Prefix + "warn";

    public static NamespacePodSecurity From(IReadOnlyDictionary<string, string> labels, PodSecurityDefaults defaults)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(defaults);
        var errors = new List<StatusCause>();
        var enforce = Mode(labels, EnforceLabel, defaults.Enforce, PodSecurityLevel.Restricted, errors);
        var audit = Mode(labels, AuditLabel, defaults.Audit, PodSecurityLevel.Privileged, errors);
        var warn = Mode(labels, WarnLabel, defaults.Warn, PodSecurityLevel.Privileged, errors);
        return new NamespacePodSecurity(enforce, audit, warn, errors);
    }

    public bool AllPrivileged =>
        Enforce.Level == PodSecurityLevel.Privileged && Audit.Level == PodSecurityLevel.Privileged && Warn.Level == PodSecurityLevel.Privileged;

    private static PodSecurityLevelVersion Mode(IReadOnlyDictionary<string, string> labels, string label, PodSecurityLevelVersion fallback,
        PodSecurityLevel onError, List<StatusCause> errors)
    {
        var level = fallback.Level;
        var minor = fallback.Minor;
        if (labels.TryGetValue(label, out var levelText))
        {
            if (PodSecurityLevelVersion.ParseLevel(levelText) is { } parsed)
            {
                level = parsed;
            }
            else
            {
                level = onError;
                errors.Add(new StatusCause("FieldValueInvalid",
                    $"Invalid value: \"{levelText}\": must be one of privileged, baseline, restricted", $"metadata.labels[{label}]"));
            }
        }

        if (labels.TryGetValue(label + "-version", out var versionText))
        {
            var (valid, parsedMinor) = PodSecurityLevelVersion.ParseVersion(versionText);
            minor = parsedMinor;
            if (!valid)
            {
                errors.Add(new StatusCause("FieldValueInvalid", $"Invalid value: \"{versionText}\": must be \"latest\" or \"v1.x\"",
                    $"metadata.labels[{label}-version]"));
            }
        }

        return new PodSecurityLevelVersion(level, minor);
    }
}
