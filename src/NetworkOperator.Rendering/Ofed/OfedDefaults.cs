using k8s.Models;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Rendering.Common;

namespace NetworkOperator.Rendering.Ofed;

/// <summary>Driver container env and probe defaults (upstream's values).</summary>
public static class OfedDefaults
{
    public static readonly (int InitialDelay, int Period, int FailureThreshold, int Timeout) Startup = (30, 10, 120, 10);
    public static readonly (int InitialDelay, int Period, int FailureThreshold, int Timeout) LivenessReadiness = (10, 30, 1, 10);

    public const long TerminationGracePeriodSeconds = 300;

    public static readonly IReadOnlyList<(string Name, string Value)> Env =
    [
        ("CREATE_IFNAMES_UDEV", "true"),
        ("NVIDIA_NIC_DRIVERS_INVENTORY_PATH", "/mnt/drivers-inventory"),
    ];

    /// <summary>The user's env followed by every default whose name the user did not set.</summary>
    public static List<V1EnvVar> WithDefaults(IEnumerable<V1EnvVar> env)
    {
        var list = env.ToList();
        foreach (var (name, value) in Env)
        {
            if (!list.Any(e => e.Name == name))
            {
                list.Add(K8s.Env(name, value));
            }
        }

        return list;
    }

    /// <summary>Absent probe → defaults; present probe → each field below 1 replaced by its default.</summary>
    public static V1Probe Probe(PodProbeSpec? spec, (int InitialDelay, int Period, int FailureThreshold, int Timeout) defaults, string command) =>
        K8s.ExecProbe(
            command,
            Pick(spec?.InitialDelaySeconds, defaults.InitialDelay),
            Pick(spec?.PeriodSeconds, defaults.Period),
            Pick(spec?.FailureThreshold, defaults.FailureThreshold),
            Pick(spec?.TimeoutSeconds, defaults.Timeout));

    private static int Pick(int? value, int fallback) => value is >= 1 ? value.Value : fallback;
}
