using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Serialization;

namespace NetworkOperator.Simulator.Tables;

internal sealed partial class TableRenderer
{
    /// <summary>Persistent volumes, their claims and storage classes as the real server's printers fill them.</summary>
    private static class StorageColumns
    {
        // The beta annotation, when present (even empty), wins over spec.storageClassName.
        private const string BetaStorageClassAnnotation = "volume.beta.kubernetes.io/storage-class";

        public static readonly IReadOnlyList<Column> PersistentVolume =
        [
            NameColumn,
            new("Capacity", "string", (o, _) => QuantityText(At(o, "spec.capacity.storage")),
                Description: "capacity is the description of the persistent volume's resources and capacity."),
            new("Access Modes", "string", (o, _) => AccessModes(At(o, "spec.accessModes")),
                Description: "accessModes contains all ways the volume can be mounted."),
            new("Reclaim Policy", "string", (o, _) => S(o, "spec.persistentVolumeReclaimPolicy") ?? "",
                Description: "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim."),
            new("Status", "string", (o, _) => Phase(o),
                Description: "phase indicates if a volume is available, bound to a claim, or released by a claim."),
            new("Claim", "string", (o, _) => At(o, "spec.claimRef") is JsonObject claim ? $"{claim.GetString("namespace")}/{claim.GetString("name")}" : "",
                Description: "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim."),
            new("StorageClass", "string", (o, _) => StorageClassOf(o, S(o, "spec.storageClassName") ?? ""), Description: "StorageClass of the pv"),
            new("VolumeAttributesClass", "string", (o, _) => S(o, "spec.volumeAttributesClassName") ?? "<unset>",
                Description: "VolumeAttributesClass of the pv"),
            new("Reason", "string", (o, _) => S(o, "status.reason") ?? "",
                Description: "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI."),
            AgeColumn,
            new("VolumeMode", "string", (o, _) => S(o, "spec.volumeMode") ?? "<unset>", 1,
                Description: "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state."),
        ];

        // Capacity and access modes are the bound volume's: empty until the claim names one.
        public static readonly IReadOnlyList<Column> PersistentVolumeClaim =
        [
            NameColumn,
            new("Status", "string", (o, _) => Phase(o), Description: "phase represents the current phase of PersistentVolumeClaim."),
            new("Volume", "string", (o, _) => VolumeName(o), Description: "volumeName is the binding reference to the PersistentVolume backing this claim."),
            new("Capacity", "string", (o, _) => VolumeName(o).Length > 0 ? QuantityText(At(o, "status.capacity.storage")) : "",
                Description: "capacity represents the actual resources of the underlying volume."),
            new("Access Modes", "string", (o, _) => VolumeName(o).Length > 0 ? AccessModes(At(o, "status.accessModes")) : "",
                Description: "accessModes contains the actual access modes the volume backing the PVC has."),
            new("StorageClass", "string", (o, _) => StorageClassOf(o, S(o, "spec.storageClassName") ?? ""), Description: "StorageClass of the pvc"),
            new("VolumeAttributesClass", "string", (o, _) => S(o, "spec.volumeAttributesClassName") ?? "<unset>",
                Description: "VolumeAttributesClass of the pvc"),
            AgeColumn,
            new("VolumeMode", "string", (o, _) => S(o, "spec.volumeMode") ?? "<unset>", 1,
                Description: "volumeMode defines what type of volume is required by the claim."),
        ];

        public static readonly IReadOnlyList<Column> StorageClass =
        [
            NameColumn with { Cell = (o, _) => IsDefault(o) ? $"{o.Metadata().GetString("name")} (default)" : o.Metadata().GetString("name") },
            new("Provisioner", "string", (o, _) => o.GetString("provisioner") ?? "", Description: "provisioner indicates the type of the provisioner."),
            new("ReclaimPolicy", "string", (o, _) => o.GetString("reclaimPolicy") ?? "Delete",
                Description: "reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class."),
            new("VolumeBindingMode", "string", (o, _) => o.GetString("volumeBindingMode") ?? "Immediate",
                Description: "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound."),
            new("AllowVolumeExpansion", "string", (o, _) => o["allowVolumeExpansion"].GetBool() ?? false,
                Description: "allowVolumeExpansion shows whether the storage class allow volume expand."),
            AgeColumn,
        ];

        private static string VolumeName(JsonObject claim) => S(claim, "spec.volumeName") ?? "";

        private static string Phase(JsonObject obj) =>
            obj.Metadata()["deletionTimestamp"] is not null ? "Terminating" : S(obj, "status.phase") ?? "";

        private static string StorageClassOf(JsonObject obj, string fromSpec) =>
            (obj.Metadata()["annotations"] as JsonObject)?.ContainsKey(BetaStorageClassAnnotation) == true
                ? SimpleJsonPath.Text(obj.Metadata()["annotations"]![BetaStorageClassAnnotation])
                : fromSpec;

        private static bool IsDefault(JsonObject storageClass) =>
            (storageClass.Metadata()["annotations"] as JsonObject)?.GetString("storageclass.kubernetes.io/is-default-class") == "true"
            || (storageClass.Metadata()["annotations"] as JsonObject)?.GetString("storageclass.beta.kubernetes.io/is-default-class") == "true";

        private static readonly (string Mode, string Short)[] AccessModeOrder =
            [("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP")];

        /// <summary>Each mode once, always in the order RWO, ROX, RWX, RWOP, whatever order the list has.</summary>
        private static string AccessModes(JsonNode? modes)
        {
            var present = (modes as JsonArray ?? []).Select(SimpleJsonPath.Text).ToHashSet(StringComparer.Ordinal);
            return string.Join(",", AccessModeOrder.Where(m => present.Contains(m.Mode)).Select(m => m.Short));
        }
    }
}
