namespace NetworkOperator.Simulator.Admission.PodSecurity;

/// <summary>
/// The PodSecurity plugin's configuration (the API server's AdmissionConfiguration): the level of each mode for
/// namespaces without labels, and exempt namespaces. A server started without one, as here by default, uses
/// privileged:latest for all three modes and exempts nothing.
/// </summary>
public sealed class PodSecurityDefaults
{
    public PodSecurityLevelVersion Enforce { get; set; } = PodSecurityLevelVersion.PrivilegedLatest;

    public PodSecurityLevelVersion Audit { get; set; } = PodSecurityLevelVersion.PrivilegedLatest;

    public PodSecurityLevelVersion Warn { get; set; } = PodSecurityLevelVersion.PrivilegedLatest;

    public ISet<string> ExemptNamespaces { get; } = new HashSet<string>(StringComparer.Ordinal);
}
