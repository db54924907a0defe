using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using NetworkOperator.Api.Schema;

namespace NetworkOperator.Api.V1Alpha1;

/// <summary>The persistent volume claim holding NIC firmware images.</summary>
public sealed class NicFirmwareStorageSpec
{
    public const string DefaultPvcName = "nic-fw-storage-pvc";
    public const string DefaultAvailableStorageSize = "1Gi";
    public const string DnsLabelPattern = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

    [JsonPropertyName("create")]
    [DefaultValue(true)]
    [Description("Create the claim; when false an existing claim named pvcName is used.")]
    public bool? Create { get; set; }

    [JsonPropertyName("pvcName")]
    [DefaultValue(DefaultPvcName)]
    [MinLength(1)]
    [MaxLength(63)]
    [RegularExpression(DnsLabelPattern)]
    [Description("Name of the persistent volume claim.")]
    public string? PvcName { get; set; }

    [JsonPropertyName("storageClassName")]
    [MinLength(1)]
    [MaxLength(63)]
    [RegularExpression(DnsLabelPattern)]
    [CelRule("self == oldSelf", "storageClassName is immutable; delete and recreate nicFirmwareStorage to change it")]
    [Description("Storage class of the claim. Cannot be changed once set.")]
    public string? StorageClassName { get; set; }

    [JsonPropertyName("availableStorageSize")]
    [DefaultValue(DefaultAvailableStorageSize)]
    [RegularExpression(@"^(\d+)(Ei|Pi|Ti|Gi|Mi|Ki)$")]
    [CelRule("self == oldSelf", "availableStorageSize is immutable; delete and recreate nicFirmwareStorage to change it")]
    [Description("Size of the claim, for example 1Gi. Cannot be changed once set.")]
    public string? AvailableStorageSize { get; set; }
}
