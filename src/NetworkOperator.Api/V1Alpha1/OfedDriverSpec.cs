using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s.Models;
using NetworkOperator.Api.Schema;

namespace NetworkOperator.Api.V1Alpha1;

/// <summary>The DOCA/MOFED driver container (<c>ofedDriver</c>).</summary>
public sealed class OfedDriverSpec : ImageSpec
{
    [JsonPropertyName("startupProbe")]
    [Description("Startup probe timing of the driver container.")]
    public PodProbeSpec? StartupProbe { get; set; }

    [JsonPropertyName("livenessProbe")]
    [Description("Liveness probe timing of the driver container.")]
    public PodProbeSpec? LivenessProbe { get; set; }

    [JsonPropertyName("readinessProbe")]
    [Description("Readiness probe timing of the driver container.")]
    public PodProbeSpec? ReadinessProbe { get; set; }

    [JsonPropertyName("env")]
    [Description("Environment variables for the driver container, the driver-toolkit sidecar and the init container.")]
    public List<V1EnvVar>? Env { get; set; }

    [JsonPropertyName("upgradePolicy")]
    [Description("Automatic driver upgrade settings.")]
    public DriverUpgradePolicySpec? UpgradePolicy { get; set; }

    [JsonPropertyName("certConfig")]
    [Description("ConfigMap with custom CA certificates to mount into the driver container.")]
    public ConfigMapNameReference? CertConfig { get; set; }

    [JsonPropertyName("repoConfig")]
    [Description("ConfigMap with package repository definitions to mount into the driver container.")]
    public ConfigMapNameReference? RepoConfig { get; set; }

    [JsonPropertyName("terminationGracePeriodSeconds")]
    [DefaultValue(300L)]
    [Minimum(0)]
    [Description("Seconds the driver pod gets to stop; unloading the driver can take a while.")]
    public long? TerminationGracePeriodSeconds { get; set; }

    [JsonPropertyName("forcePrecompiled")]
    [DefaultValue(false)]
    [Description("Use only precompiled driver images; the state fails when no precompiled image exists for a node's kernel.")]
    public bool? ForcePrecompiled { get; set; }
}
