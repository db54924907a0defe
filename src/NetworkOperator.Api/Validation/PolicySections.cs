using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Api.Validation;

/// <summary>The sections a NicNodePolicy can take over from the NicClusterPolicy; each may be defined in only one place.</summary>
public static class PolicySections
{
    public const string OfedDriver = "ofedDriver";
    public const string RdmaSharedDevicePlugin = "rdmaSharedDevicePlugin";
    public const string SriovDevicePlugin = "sriovDevicePlugin";

    public static IReadOnlyList<string> All { get; } = [OfedDriver, RdmaSharedDevicePlugin, SriovDevicePlugin];

    public static IReadOnlyList<string> DefinedIn(INicPolicySpec spec)
    {
        var defined = new List<string>();
        if (spec.OfedDriver is not null)
        {
            defined.Add(OfedDriver);
        }

        if (spec.RdmaSharedDevicePlugin is not null)
        {
            defined.Add(RdmaSharedDevicePlugin);
        }

        if (spec.SriovDevicePlugin is not null)
        {
            defined.Add(SriovDevicePlugin);
        }

        return defined;
    }
}
