using System.Text.Json.Nodes;
using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Controllers.Tests.Repair;

/// <summary>The two checks every owned kind gets: deleted → re-created, a field tampered with → put back, no restart.</summary>
internal static class OwnedObjectRepair
{
    private const string StateLabel = "/metadata/labels/nvidia.network-operator.state";

    public static readonly OwnedKind ServiceAccount = new("ServiceAccount", string.Empty, "v1", "serviceaccounts", true, StateLabel);
    public static readonly OwnedKind ConfigMap = new("ConfigMap", string.Empty, "v1", "configmaps", true, "/data/*");
    public static readonly OwnedKind DaemonSet = new("DaemonSet", "apps", "v1", "daemonsets", true, "/spec/template/spec/containers/0/image");
    public static readonly OwnedKind Deployment = new("Deployment", "apps", "v1", "deployments", true, "/spec/template/spec/containers/0/image");
    public static readonly OwnedKind Service = new("Service", string.Empty, "v1", "services", true, "/spec/ports/0/port");
    public static readonly OwnedKind PersistentVolumeClaim = new("PersistentVolumeClaim", string.Empty, "v1", "persistentvolumeclaims", true, StateLabel);
    public static readonly OwnedKind CustomResourceDefinition = new("CustomResourceDefinition", "apiextensions.k8s.io", "v1", "customresourcedefinitions", false, StateLabel);
    public static readonly OwnedKind ClusterRole = new("ClusterRole", "rbac.authorization.k8s.io", "v1", "clusterroles", false, "/rules/0/verbs");
    public static readonly OwnedKind ClusterRoleBinding = new("ClusterRoleBinding", "rbac.authorization.k8s.io", "v1", "clusterrolebindings", false, "/subjects/0/name");
    public static readonly OwnedKind Role = new("Role", "rbac.authorization.k8s.io", "v1", "roles", true, "/rules/0/verbs");
    public static readonly OwnedKind RoleBinding = new("RoleBinding", "rbac.authorization.k8s.io", "v1", "rolebindings", true, "/subjects/0/name");
    public static readonly OwnedKind ValidatingWebhookConfiguration = new("ValidatingWebhookConfiguration", "admissionregistration.k8s.io", "v1",
        "validatingwebhookconfigurations", false, "/webhooks/0/failurePolicy");
    public static readonly OwnedKind NetworkAttachmentDefinition = new("NetworkAttachmentDefinition", "k8s.cni.cncf.io", "v1",
        "network-attachment-definitions", true, "/spec/config");
    public static readonly OwnedKind Issuer = new("Issuer", "cert-manager.io", "v1", "issuers", true, StateLabel);
    public static readonly OwnedKind Certificate = new("Certificate", "cert-manager.io", "v1", "certificates", true, "/spec/dnsNames/0");

    public static async Task DeletedObjectComesBackAsync(RepairFixture fixture, OwnedKind kind)
    {
        var victim = await FirstAsync(fixture, kind);
        var (ns, name) = Identity(victim);
        var uid = victim["metadata"]!["uid"]!.GetValue<string>();
        await fixture.DeleteAsync(kind, ns, name);
        await Eventually.TrueAsync(async () => (await fixture.GetAsync(kind, ns, name))?["metadata"]?["uid"]?.GetValue<string>() is { } now && now != uid,
            $"{kind.Kind} {name} re-created by the running operator after its deletion");
    }

    public static async Task TamperedFieldIsPutBackAsync(RepairFixture fixture, OwnedKind kind)
    {
        var victim = await FirstAsync(fixture, kind);
        var (ns, name) = Identity(victim);
        var pointer = Resolve(victim, kind.Field);
        var original = At(victim, pointer)?.DeepClone() ?? throw new InvalidOperationException($"{kind.Kind} {name} has no {pointer}");
        var tampered = Tamper(original);
        await fixture.JsonPatchAsync(kind, ns, name, new JsonArray(new JsonObject { ["op"] = "replace", ["path"] = pointer, ["value"] = tampered }).ToJsonString());
        await Eventually.TrueAsync(async () => JsonNode.DeepEquals(At((await fixture.GetAsync(kind, ns, name))!, pointer), original),
            $"{kind.Kind} {name}: {pointer} put back to {original.ToJsonString()}");
    }

    private static async Task<JsonObject> FirstAsync(RepairFixture fixture, OwnedKind kind)
    {
        List<JsonObject> owned = [];
        await Eventually.TrueAsync(async () => (owned = await fixture.OwnedAsync(kind)).Count > 0, $"the operator wrote a {kind.Kind}", Eventually.LongTimeout);
        return owned[0];
    }

    private static (string? Namespace, string Name) Identity(JsonObject obj) =>
        (obj["metadata"]!["namespace"]?.GetValue<string>(), obj["metadata"]!["name"]!.GetValue<string>());

    // "*" stands for the first key of an object (ConfigMap data keys differ per component).
    private static string Resolve(JsonObject obj, string pointer)
    {
        var parts = pointer.Split('/')[1..];
        JsonNode? node = obj;
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i] == "*")
            {
                parts[i] = node!.AsObject().Select(p => p.Key).OrderBy(k => k, StringComparer.Ordinal).First().Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
            }

            node = Step(node, parts[i]);
        }

        return "/" + string.Join('/', parts);
    }

    private static JsonNode? At(JsonObject obj, string pointer)
    {
        JsonNode? node = obj;
        foreach (var part in pointer.Split('/')[1..])
        {
            node = Step(node, part);
        }

        return node;
    }

    private static JsonNode? Step(JsonNode? node, string part)
    {
        var key = part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
        return node switch
        {
            JsonObject o => o[key],
            JsonArray a when int.TryParse(key, out var i) && i < a.Count => a[i],
            _ => null,
        };
    }

    private static JsonNode Tamper(JsonNode original) => original switch
    {
        JsonArray => new JsonArray("tampered"),
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number => JsonValue.Create(v.GetValue<long>() + 1),
        JsonValue v when v.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => JsonValue.Create(!v.GetValue<bool>()),
        JsonValue v when v.GetValue<string>() == "Fail" => JsonValue.Create("Ignore"),
        JsonValue v when v.GetValue<string>() == "Ignore" => JsonValue.Create("Fail"),
        JsonValue v when v.GetValue<string>().StartsWith('{') => JsonValue.Create("""{"cniVersion":"0.4.0","type":"tampered"}"""),
        _ => JsonValue.Create("tampered"),
    };
}
