using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Api.Validation;

/// <summary>Validates any object of our kinds; other objects have no rules here and are valid.</summary>
public static class ObjectValidator
{
    public static ValidationResult Validate(object value, ValidationContext? context = null) => value switch
    {
        NicClusterPolicy policy => NicClusterPolicyValidator.Validate(policy, context),
        NicNodePolicy policy => NicNodePolicyValidator.Validate(policy, context),
        MacvlanNetwork network => MacvlanNetworkValidator.Validate(network),
        HostDeviceNetwork network => HostDeviceNetworkValidator.Validate(network),
        IPoIBNetwork network => IPoIBNetworkValidator.Validate(network),
        _ => ValidationResult.Valid,
    };
}
