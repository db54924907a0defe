using NetworkOperator.Api.Serialization;
using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Api.Validation;

/// <summary>Checks shared by NicClusterPolicy and NicNodePolicy.</summary>
internal static class PolicyRules
{
    public static void CheckOfedDriver(OfedDriverSpec? ofed, string? globalVersion, ValidationCollector collector)
    {
        if (ofed is null)
        {
            return;
        }

        const string path = "spec.ofedDriver";
        var version = string.IsNullOrEmpty(ofed.Version) ? globalVersion : ofed.Version;
        if (string.IsNullOrEmpty(version))
        {
            collector.Required(FieldPath.Child(path, "version"), "the driver version is required (set it here or in spec.global.version)");
        }
        else if (!OfedVersion.IsValid(version))
        {
            collector.Invalid(FieldPath.Child(path, "version"), version, $"invalid driver version; accepted forms: {OfedVersion.Examples}");
        }

        if (ofed.UpgradePolicy is { SafeLoad: true, AutoUpgrade: not true })
        {
            collector.Forbidden("spec.ofedDriver.upgradePolicy.safeLoad", "safeLoad requires autoUpgrade to be true");
        }
    }

    public static void CheckDevicePlugins(INicPolicySpec spec, ValidationCollector collector)
    {
        DevicePluginConfigSchemas.CheckRdma(spec.RdmaSharedDevicePlugin?.Config, "spec.rdmaSharedDevicePlugin.config", collector);
        DevicePluginConfigSchemas.CheckSriov(spec.SriovDevicePlugin?.Config, "spec.sriovDevicePlugin.config", collector);
    }

    /// <summary>Repository syntax of the effective repository (own, else the global one).</summary>
    public static void CheckRepository(ImageSpec? image, string path, string? globalRepository, ValidationCollector collector)
    {
        if (image is null)
        {
            return;
        }

        var repository = string.IsNullOrEmpty(image.Repository) ? globalRepository : image.Repository;
        var field = FieldPath.Child(path, "repository");
        if (string.IsNullOrEmpty(repository))
        {
            collector.Required(field, "the image repository is required (set it here or in spec.global.repository)");
        }
        else if (!ImageReference.TryParse(repository, out var reason))
        {
            collector.Invalid(field, repository, $"invalid container image repository format: {reason}");
        }
    }

    public static void CheckContainerResources(ImageSpec? image, string path, string component, ValidationCollector collector)
    {
        if (image is not null)
        {
            ContainerResourceRules.Check(image.ContainerResources, FieldPath.Child(path, "containerResources"), ComponentContainers.ByComponent[component], collector);
        }
    }
}
