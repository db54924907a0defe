namespace NetworkOperator.Simulator.Serialization.Protobuf;

/// <summary>
/// Message tables of the built-in kinds clients send as protobuf. client-go based tools use protobuf for built-in
/// types; helm's release storage writes Secrets (or ConfigMaps) and deletes them with a protobuf DeleteOptions body,
/// and kubectl's `create namespace|secret|configmap` generators send their objects that way.
/// Field numbers follow k8s.io/api and k8s.io/apimachinery generated.proto.
/// </summary>
internal static class KubernetesProtoTypes
{
    private static readonly ProtoMessage OwnerReference = new ProtoMessage("OwnerReference")
        .Add(1, new("kind", ProtoFieldKind.String))
        .Add(3, new("name", ProtoFieldKind.String))
        .Add(4, new("uid", ProtoFieldKind.String))
        .Add(5, new("apiVersion", ProtoFieldKind.String))
        .Add(6, new("controller", ProtoFieldKind.Bool, Pointer: true))
        .Add(7, new("blockOwnerDeletion", ProtoFieldKind.Bool, Pointer: true));

    private static readonly ProtoMessage ManagedFieldsEntry = new ProtoMessage("ManagedFieldsEntry")
        .Add(1, new("manager", ProtoFieldKind.String))
        .Add(2, new("operation", ProtoFieldKind.String))
        .Add(3, new("apiVersion", ProtoFieldKind.String))
        .Add(4, new("time", ProtoFieldKind.Time))
        .Add(6, new("fieldsType", ProtoFieldKind.String))
        .Add(7, new("fieldsV1", ProtoFieldKind.RawJson))
        .Add(8, new("subresource", ProtoFieldKind.String));

    private static readonly ProtoMessage ObjectMeta = new ProtoMessage("ObjectMeta")
        .Add(1, new("name", ProtoFieldKind.String))
        .Add(2, new("generateName", ProtoFieldKind.String))
        .Add(3, new("namespace", ProtoFieldKind.String))
        .Add(4, new("selfLink", ProtoFieldKind.String))
        .Add(5, new("uid", ProtoFieldKind.String))
        .Add(6, new("resourceVersion", ProtoFieldKind.String))
        .Add(7, new("generation", ProtoFieldKind.Int64))
        .Add(8, new("creationTimestamp", ProtoFieldKind.Time))
        .Add(9, new("deletionTimestamp", ProtoFieldKind.Time))
        .Add(10, new("deletionGracePeriodSeconds", ProtoFieldKind.Int64, Pointer: true))
        .Add(11, new("labels", ProtoFieldKind.String, MapValue: ProtoFieldKind.String))
        .Add(12, new("annotations", ProtoFieldKind.String, MapValue: ProtoFieldKind.String))
        .Add(13, new("ownerReferences", ProtoFieldKind.Message, Repeated: true, Message: OwnerReference))
        .Add(14, new("finalizers", ProtoFieldKind.String, Repeated: true))
        .Add(17, new("managedFields", ProtoFieldKind.Message, Repeated: true, Message: ManagedFieldsEntry));

    private static readonly ProtoMessage Secret = new ProtoMessage("Secret")
        .Add(1, new("metadata", ProtoFieldKind.Message, Message: ObjectMeta))
        .Add(2, new("data", ProtoFieldKind.String, MapValue: ProtoFieldKind.Bytes))
        .Add(3, new("type", ProtoFieldKind.String))
        .Add(4, new("stringData", ProtoFieldKind.String, MapValue: ProtoFieldKind.String))
        .Add(5, new("immutable", ProtoFieldKind.Bool, Pointer: true));

    private static readonly ProtoMessage ConfigMap = new ProtoMessage("ConfigMap")
        .Add(1, new("metadata", ProtoFieldKind.Message, Message: ObjectMeta))
        .Add(2, new("data", ProtoFieldKind.String, MapValue: ProtoFieldKind.String))
        .Add(3, new("binaryData", ProtoFieldKind.String, MapValue: ProtoFieldKind.Bytes))
        .Add(4, new("immutable", ProtoFieldKind.Bool, Pointer: true));

    private static readonly ProtoMessage NamespaceSpec = new ProtoMessage("NamespaceSpec")
        .Add(1, new("finalizers", ProtoFieldKind.String, Repeated: true));

    private static readonly ProtoMessage NamespaceStatus = new ProtoMessage("NamespaceStatus")
        .Add(1, new("phase", ProtoFieldKind.String));

    private static readonly ProtoMessage Namespace = new ProtoMessage("Namespace")
        .Add(1, new("metadata", ProtoFieldKind.Message, Message: ObjectMeta))
        .Add(2, new("spec", ProtoFieldKind.Message, Message: NamespaceSpec))
        .Add(3, new("status", ProtoFieldKind.Message, Message: NamespaceStatus));

    private static readonly ProtoMessage Preconditions = new ProtoMessage("Preconditions")
        .Add(1, new("uid", ProtoFieldKind.String, Pointer: true))
        .Add(2, new("resourceVersion", ProtoFieldKind.String, Pointer: true));

    private static readonly ProtoMessage DeleteOptions = new ProtoMessage("DeleteOptions")
        .Add(1, new("gracePeriodSeconds", ProtoFieldKind.Int64, Pointer: true))
        .Add(2, new("preconditions", ProtoFieldKind.Message, Pointer: true, Message: Preconditions))
        .Add(3, new("orphanDependents", ProtoFieldKind.Bool, Pointer: true))
        .Add(4, new("propagationPolicy", ProtoFieldKind.String, Pointer: true))
        .Add(5, new("dryRun", ProtoFieldKind.String, Repeated: true));

    /// <summary>The message table of a kind sent in apiVersion, or null when this server cannot decode it.</summary>
    public static ProtoMessage? Find(string apiVersion, string kind) => (apiVersion, kind) switch
    {
        ("v1", "Secret") => Secret,
        ("v1", "ConfigMap") => ConfigMap,
        ("v1", "Namespace") => Namespace,
        // DeleteOptions is registered in every group version; clients tag it with the version of the resource's group.
        (_, "DeleteOptions") => DeleteOptions,
        _ => null,
    };
}
