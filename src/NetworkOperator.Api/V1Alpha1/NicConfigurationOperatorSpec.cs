using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using k8s.Models;

namespace NetworkOperator.Api.V1Alpha1;

/// <summary>The NIC configuration operator and its per-node daemon.</summary>
public sealed class NicConfigurationOperatorSpec
{
    public const string LogLevelInfo = "info";
    public const string LogLevelDebug = "debug";

    [JsonPropertyName("operator")]
    [Required]
    [Description("Image of the NIC configuration operator (controller Deployment).")]
    public ImageSpec? Operator { get; set; }

    [JsonPropertyName("configurationDaemon")]
    [Required]
    [Description("Image of the NIC configuration daemon (node DaemonSet).")]
    public ImageSpec? ConfigurationDaemon { get; set; }

    [JsonPropertyName("env")]
    [Description("Environment variables added to the operator and daemon containers.")]
    public List<V1EnvVar>? Env { get; set; }

    [JsonPropertyName("nicFirmwareStorage")]
    [Description("Storage for NIC firmware images; when absent no volume is created or mounted.")]
    public NicFirmwareStorageSpec? NicFirmwareStorage { get; set; }

    [JsonPropertyName("logLevel")]
    [DefaultValue(LogLevelInfo)]
    [AllowedValues(LogLevelInfo, LogLevelDebug)]
    [Description("Log level of the operator and daemon.")]
    public string? LogLevel { get; set; }
}
