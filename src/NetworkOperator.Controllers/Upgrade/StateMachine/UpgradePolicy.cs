using k8s.Models;
using NetworkOperator.Api.Contract;
using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Controllers.Upgrade;

/// <summary>
/// The upgrade policy with every default applied and the drain selector completed, so the state machine never has to
/// interpret optional fields. Built from <c>ofedDriver.upgradePolicy</c> of a NicClusterPolicy or NicNodePolicy.
/// </summary>
public sealed record UpgradePolicy
{
    public bool AutoUpgrade { get; init; }

    /// <summary>0 = no limit.</summary>
    public int MaxParallelUpgrades { get; init; } = 1;

    /// <summary>Absolute number or percentage of managed nodes; null = all managed nodes (upstream's behaviour).</summary>
    public IntOrString? MaxUnavailable { get; init; }

    public WaitForCompletionOptions? WaitForCompletion { get; init; }

    /// <summary>Null when drain is disabled.</summary>
    public DrainOptions? Drain { get; init; }

    public bool SafeLoad { get; init; }

    public static UpgradePolicy Disabled { get; } = new() { AutoUpgrade = false };

    /// <summary>Effective policy of a spec; a missing spec (no driver or no upgradePolicy) means auto-upgrade is off.</summary>
    public static UpgradePolicy From(DriverUpgradePolicySpec? spec)
    {
        if (spec is null)
        {
            return Disabled;
        }

        return new UpgradePolicy
        {
            AutoUpgrade = spec.AutoUpgrade ?? false,
            MaxParallelUpgrades = Math.Max(0, spec.MaxParallelUpgrades ?? 1),
            MaxUnavailable = spec.MaxUnavailable,
            WaitForCompletion = string.IsNullOrWhiteSpace(spec.WaitForCompletion?.PodSelector)
                ? null
                : new WaitForCompletionOptions(spec.WaitForCompletion.PodSelector.Trim(),
                    TimeSpan.FromSeconds(Math.Max(0, spec.WaitForCompletion.TimeoutSeconds ?? 0))),
            Drain = spec.Drain is { } drain && (drain.Enable ?? true)
                ? new DrainOptions
                {
                    Force = drain.Force ?? false,
                    DeleteEmptyDir = drain.DeleteEmptyDir ?? false,
                    PodSelector = WithSkipClause(drain.PodSelector),
                    Timeout = TimeSpan.FromSeconds(Math.Max(0, drain.TimeoutSeconds ?? 300)),
                }
                : null,
            SafeLoad = spec.SafeLoad ?? false,
        };
    }

    /// <summary>
    /// Appends <c>nvidia.com/ofed-driver-upgrade-drain.skip!=true</c> so pods labelled to be skipped (the operator's own
    /// pod) are never evicted; a drain that evicts the operator would stop the upgrade that started it.
    /// </summary>
    public static string WithSkipClause(string? selector) =>
        string.IsNullOrWhiteSpace(selector) ? Labels.DrainSkipSelector : $"{selector.Trim()},{Labels.DrainSkipSelector}";
}
