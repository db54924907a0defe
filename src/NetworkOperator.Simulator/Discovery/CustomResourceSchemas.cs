using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Schema;

namespace NetworkOperator.Simulator.Discovery;

/// <summary>
/// The <c>components.schemas</c> of a group version's OpenAPI v3 document for its custom resources, shaped as
/// kube-apiserver's CRD OpenAPI builder shapes them: the version's structural schema under the reversed-group name
/// (<c>com.mellanox.v1alpha1.NicClusterPolicy</c>) with <c>x-kubernetes-group-version-kind</c>, <c>apiVersion</c>,
/// <c>kind</c> and <c>metadata</c> (a reference to ObjectMeta) added at the root, a <c>…List</c> schema beside it,
/// and the object-meta schemas they reference. kubectl explain finds a kind by that extension and follows the
/// references; without the schemas it answers "not found in OpenAPI schema" where a real cluster explains the field.
/// </summary>
internal static class CustomResourceSchemas
{
    private const string ObjectMetaName = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
    private const string ListMetaName = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta";
    private const string OwnerReferenceName = "io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference";
    private const string TimeName = "io.k8s.apimachinery.pkg.apis.meta.v1.Time";

    public static JsonObject For(IEnumerable<ResourceType> groupVersion)
    {
        var schemas = new JsonObject();
        foreach (var type in groupVersion.Where(t => t.IsCustom && t.Schema is not null).OrderBy(t => t.Kind, StringComparer.Ordinal))
        {
            var name = DefinitionName(type);
            schemas[name] = Object(type);
            schemas[name + "List"] = List(type, name);
        }

        if (schemas.Count > 0)
        {
            schemas[ListMetaName] = ListMeta();
            schemas[ObjectMetaName] = ObjectMeta();
            schemas[OwnerReferenceName] = OwnerReference();
            schemas[TimeName] = new JsonObject { ["type"] = "string", ["format"] = "date-time", ["description"] = "An RFC 3339 timestamp in UTC." };
        }

        return schemas;
    }

    /// <summary>The group's labels reversed, then version and kind: <c>mellanox.com</c> → <c>com.mellanox</c>.</summary>
    public static string DefinitionName(ResourceType type) =>
        string.Join('.', type.Group.Split('.').Reverse()) + "." + type.Version + "." + type.Kind;

    private static JsonObject Object(ResourceType type)
    {
        var schema = (JsonObject)type.Schema!.DeepClone();
        var properties = schema["properties"] as JsonObject ?? [];
        schema.Remove("properties");
        var root = new JsonObject();
        foreach (var (key, value) in schema)
        {
            root[key] = value?.DeepClone();
        }

        var withMeta = new JsonObject
        {
            ["apiVersion"] = Str("The versioned schema of this object, group/version; the server converts known ones to its preferred version."),
            ["kind"] = Str("The REST resource this object represents, in CamelCase; the server infers it from the endpoint the client writes to."),
            ["metadata"] = Ref(ObjectMetaName, "Standard object metadata: name, labels, annotations, owners and the server's bookkeeping."),
        };
        foreach (var (key, value) in properties)
        {
            if (key is not ("apiVersion" or "kind" or "metadata"))
            {
                withMeta[key] = value?.DeepClone();
            }
        }

        root["type"] ??= "object";
        root["properties"] = withMeta;
        root["x-kubernetes-group-version-kind"] = Gvk(type, type.Kind);
        return root;
    }

    private static JsonObject List(ResourceType type, string itemName) => new()
    {
        ["description"] = $"{type.ListKind} is a list of {type.Kind}",
        ["type"] = "object",
        ["required"] = new JsonArray("items"),
        ["properties"] = new JsonObject
        {
            ["apiVersion"] = Str("The versioned schema of this list, group/version."),
            ["items"] = new JsonObject
            {
                ["description"] = $"List of {type.Plural}.",
                ["type"] = "array",
                ["items"] = new JsonObject { ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = "#/components/schemas/" + itemName }), ["default"] = new JsonObject() },
            },
            ["kind"] = Str("The REST resource this list represents, in CamelCase."),
            ["metadata"] = Ref(ListMetaName, "Standard list metadata: the resourceVersion to watch from and the continue token."),
        },
        ["x-kubernetes-group-version-kind"] = Gvk(type, type.ListKind),
    };

    private static JsonObject ObjectMeta() => new()
    {
        ["description"] = "Metadata every persisted resource has, users' and the server's.",
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["annotations"] = StringMap("Unstructured key/value data that tools set and read; not used to select objects."),
            ["creationTimestamp"] = Ref(TimeName, "When the server created this object. Read-only."),
            ["deletionGracePeriodSeconds"] = Int("Seconds the object is allowed to terminate gracefully once deletion started. Read-only."),
            ["deletionTimestamp"] = Ref(TimeName, "When the object will be (or was asked to be) deleted; set by the server on delete. Read-only."),
            ["finalizers"] = StringList("Entries that must be removed before the object is deleted from storage."),
            ["generateName"] = Str("A prefix the server completes with a random suffix when name is empty."),
            ["generation"] = Int("A sequence number of the desired state, raised by the server when the spec changes. Read-only."),
            ["labels"] = StringMap("Key/value pairs used to organise and select objects."),
            ["name"] = Str("Unique within a namespace; required on create unless generateName is set. Cannot be updated."),
            ["namespace"] = Str("The namespace the name is unique in; empty for cluster-scoped objects. Cannot be updated."),
            ["ownerReferences"] = new JsonObject
            {
                ["description"] = "Objects this one depends on; the garbage collector deletes it when all of them are gone.",
                ["type"] = "array",
                ["items"] = new JsonObject { ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = "#/components/schemas/" + OwnerReferenceName }), ["default"] = new JsonObject() },
                ["x-kubernetes-list-map-keys"] = new JsonArray("uid"),
                ["x-kubernetes-list-type"] = "map",
                ["x-kubernetes-patch-merge-key"] = "uid",
                ["x-kubernetes-patch-strategy"] = "merge",
            },
            ["resourceVersion"] = Str("An opaque version of this object, for optimistic concurrency and watches. Read-only."),
            ["uid"] = Str("Unique in time and space for this object; set by the server on create. Read-only."),
        },
    };

    private static JsonObject ListMeta() => new()
    {
        ["description"] = "Metadata of a list.",
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["continue"] = Str("Set when the list was limited: pass it back to get the next page."),
            ["remainingItemCount"] = Int("How many items follow this page, when the server knows."),
            ["resourceVersion"] = Str("The version of the collection the list was read at; watch from it."),
        },
    };

    private static JsonObject OwnerReference() => new()
    {
        ["description"] = "Identifies an owning object, in the same namespace or cluster-scoped.",
        ["type"] = "object",
        ["required"] = new JsonArray("apiVersion", "kind", "name", "uid"),
        ["properties"] = new JsonObject
        {
            ["apiVersion"] = Str("The owner's API version."),
            ["blockOwnerDeletion"] = new JsonObject { ["type"] = "boolean", ["description"] = "With foreground deletion, the owner is not removed from storage before this object is." },
            ["controller"] = new JsonObject { ["type"] = "boolean", ["description"] = "Whether the owner is the managing controller; at most one owner is." },
            ["kind"] = Str("The owner's kind."),
            ["name"] = Str("The owner's name."),
            ["uid"] = Str("The owner's uid."),
        },
        ["x-kubernetes-map-type"] = "atomic",
    };

    private static JsonArray Gvk(ResourceType type, string kind) =>
        new(new JsonObject { ["group"] = type.Group, ["kind"] = kind, ["version"] = type.Version });

    private static JsonObject Ref(string name, string description) => new()
    {
        ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = "#/components/schemas/" + name }),
        ["default"] = new JsonObject(),
        ["description"] = description,
    };

    private static JsonObject Str(string description) => new() { ["type"] = "string", ["description"] = description };

    private static JsonObject Int(string description) => new() { ["type"] = "integer", ["format"] = "int64", ["description"] = description };

    private static JsonObject StringMap(string description) => new()
    {
        ["type"] = "object",
        ["additionalProperties"] = new JsonObject { ["type"] = "string", ["default"] = "" },
        ["description"] = description,
    };

    private static JsonObject StringList(string description) => new()
    {
        ["type"] = "array",
        ["items"] = new JsonObject { ["type"] = "string", ["default"] = "" },
        ["description"] = description,
        ["x-kubernetes-list-type"] = "set",
    };
}
