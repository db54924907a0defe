using NetworkOperator.Api.Components;
using NetworkOperator.Api.Serialization;
using NetworkOperator.Api.V1Alpha1;
using k8s.Models;

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

    /// <summary>The driver's environment, ConfigMap references and upgrade settings, the same in both policy kinds.</summary>
    public static void CheckCommon(INicPolicySpec spec, ValidationCollector collector)
    {
        if (spec.OfedDriver is not { } ofed)
        {
            return;
        }

        CheckEnv(ofed.Env, "spec.ofedDriver.env", collector);
        CheckObjectName(ofed.CertConfig?.Name, "spec.ofedDriver.certConfig.name", "ConfigMap", collector);
        CheckObjectName(ofed.RepoConfig?.Name, "spec.ofedDriver.repoConfig.name", "ConfigMap", collector);
        UpgradePolicyRules.Check(ofed.UpgradePolicy, "spec.ofedDriver.upgradePolicy", collector);
    }

    /// <summary>The plugins read their resource list from config; the renderer refuses a plugin without one, so admission does too.</summary>
    public static void CheckDevicePluginConfig(DevicePluginSpec? plugin, string field, Action<string?, string, ValidationCollector> checkSchema,
        ValidationCollector collector)
    {
        if (plugin is null)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(plugin.Config))
        {
            collector.Required(field, "the device plugin reads its resource list from config");
        }

        checkSchema(plugin.Config, field, collector);
    }

    /// <summary>
    /// The image a component runs, as the renderer resolves it (own repository and version, else the global ones): image
    /// name, repository and tag each by the OCI distribution reference grammar, the whole reference too, and the pull
    /// Secret names. Uppercase, whitespace, shell syntax (<c>$(id)</c>, <c>;</c>) and flags (<c>--privileged</c>) never
    /// reach a pod spec.
    /// </summary>
    public static void CheckImage(ImageSpec? image, string path, GlobalConfig? global, ValidationCollector collector, bool checkVersion = true)
    {
        if (image is null)
        {
            return;
        }

        var imageField = FieldPath.Child(path, "image");
        var nameProblem = image.Image is null ? null : ImageReference.ImageNameProblem(image.Image);
        if (nameProblem is not null)
        {
            collector.Invalid(imageField, image.Image, nameProblem);
        }

        var repository = string.IsNullOrEmpty(image.Repository) ? global?.Repository : image.Repository;
        var repositoryField = FieldPath.Child(path, "repository");
        var repositoryValid = false;
        if (string.IsNullOrEmpty(repository))
        {
            collector.Required(repositoryField, "the image repository is required (set it here or in spec.global.repository)");
        }
        else if (!ImageReference.TryParse(repository, out var reason))
        {
            collector.Invalid(string.IsNullOrEmpty(image.Repository) ? "spec.global.repository" : repositoryField, repository,
                $"invalid container image repository format: {reason}");
        }
        else
        {
            repositoryValid = true;
        }

        var version = string.IsNullOrEmpty(image.Version) ? global?.Version : image.Version;
        var versionField = string.IsNullOrEmpty(image.Version) && !string.IsNullOrEmpty(global?.Version) ? "spec.global.version" : FieldPath.Child(path, "version");
        var versionValid = false;
        if (checkVersion)
        {
            if (string.IsNullOrEmpty(version))
            {
                collector.Required(FieldPath.Child(path, "version"), "the image version is required (set it here or in spec.global.version)");
            }
            else if (ImageReference.VersionProblem(version) is { } versionProblem)
            {
                collector.Invalid(versionField, version, versionProblem);
            }
            else
            {
                versionValid = true;
            }
        }

        if (repositoryValid && versionValid && nameProblem is null && !string.IsNullOrEmpty(image.Image))
        {
            var separator = version!.Contains(':', StringComparison.Ordinal) ? "@" : ":";
            var reference = repository + "/" + image.Image + separator + version;
            if (!ImageReference.TryParse(reference, out var referenceProblem))
            {
                collector.Invalid(imageField, reference, $"the resulting image reference is invalid: {referenceProblem}");
            }
        }

        CheckPullSecrets(image.ImagePullSecrets, FieldPath.Child(path, "imagePullSecrets"), collector);
    }

    /// <summary>Global defaults are checked where they are written, even if no component inherits them yet.</summary>
    public static void CheckGlobal(GlobalConfig? global, ValidationCollector collector)
    {
        if (global is null)
        {
            return;
        }

        if (!string.IsNullOrEmpty(global.Repository) && !ImageReference.TryParse(global.Repository, out var reason))
        {
            collector.Invalid("spec.global.repository", global.Repository, $"invalid container image repository format: {reason}");
        }

        if (!string.IsNullOrEmpty(global.Version) && ImageReference.VersionProblem(global.Version) is { } problem)
        {
            collector.Invalid("spec.global.version", global.Version, problem);
        }

        CheckPullSecrets(global.ImagePullSecrets, "spec.global.imagePullSecrets", collector);
    }

    public static void CheckPullSecrets(IReadOnlyList<string>? secrets, string path, ValidationCollector collector)
    {
        for (var i = 0; i < (secrets?.Count ?? 0); i++)
        {
            if (KubernetesNames.Dns1123SubdomainProblem(secrets![i]) is { } problem)
            {
                collector.Invalid(FieldPath.Index(path, i), secrets[i], "must be a valid Secret name: " + problem);
            }
        }
    }

    /// <summary>Container environment: names a Kubernetes 1.32 server accepts, and one source per variable.</summary>
    public static void CheckEnv(IReadOnlyList<V1EnvVar>? env, string path, ValidationCollector collector)
    {
        for (var i = 0; i < (env?.Count ?? 0); i++)
        {
            var item = env![i];
            var field = FieldPath.Index(path, i);
            if (KubernetesNames.EnvVarNameProblem(item?.Name) is { } problem)
            {
                if (string.IsNullOrEmpty(item?.Name))
                {
                    collector.Required(FieldPath.Child(field, "name"), "the variable name is required");
                }
                else
                {
                    collector.Invalid(FieldPath.Child(field, "name"), item.Name, problem);
                }
            }
            else if (!KubernetesNames.IsPortableEnvVarName(item!.Name))
            {
                collector.Warn(FieldPath.Child(field, "name"),
                    "servers older than Kubernetes 1.32 refuse this name: use letters, digits, '_', '-' and '.', not starting with a digit");
            }

            if (item is { Value.Length: > 0, ValueFrom: not null })
            {
                collector.Invalid(FieldPath.Child(field, "valueFrom"), null, "may not be specified when `value` is not empty");
            }
        }
    }

    /// <summary>A ConfigMap or Secret the user names: a DNS-1123 subdomain.</summary>
    public static void CheckObjectName(string? name, string field, string kind, ValidationCollector collector)
    {
        if (!string.IsNullOrEmpty(name) && KubernetesNames.Dns1123SubdomainProblem(name) is { } problem)
        {
            collector.Invalid(field, name, $"must be a valid {kind} name: {problem}");
        }
    }

    /// <summary>The image checks and container resources of every image a component's section configures.</summary>
    public static void CheckComponentImages(ComponentDescriptor component, INicPolicySpec spec, GlobalConfig? global, ValidationCollector collector)
    {
        foreach (var image in component.Images)
        {
            var section = image.Of(spec);
            CheckImage(section, image.Path, global, collector, image.VersionRequired);
            if (section is not null && image.HasContainers)
            {
                ContainerResourceRules.Check(section.ContainerResources, FieldPath.Child(image.Path, "containerResources"), component.Containers, collector);
            }
        }
    }
}
