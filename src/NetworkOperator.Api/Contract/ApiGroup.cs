namespace NetworkOperator.Api.Contract;

/// <summary>The API group and version every resource of this operator is served under; part of the drop-in contract.</summary>
public static class ApiGroup
{
    public const string Group = "mellanox.com";
    public const string Version = "v1alpha1";
    public const string GroupVersion = Group + "/" + Version;

    /// <summary>The only NicClusterPolicy instance the operator acts on; any other name is reported as ignored.</summary>
    public const string NicClusterPolicyName = "nic-cluster-policy";
}
