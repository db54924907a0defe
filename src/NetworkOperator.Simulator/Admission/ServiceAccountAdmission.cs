using System.Text.Json.Nodes;
using NetworkOperator.Simulator.ApiServer;
using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Lifecycle;
using NetworkOperator.Simulator.Serialization;

namespace NetworkOperator.Simulator.Admission;

/// <summary>
/// The built-in ServiceAccount admission plugin, on pod creation: a pod without a ServiceAccount runs as <c>default</c>;
/// the ServiceAccount must exist (403 <c>error looking up service account NS/NAME: serviceaccount "NAME" not found</c>),
/// which is what a DaemonSet rendered with a ServiceAccount its operator never creates meets on a real cluster; unless
/// the pod or the ServiceAccount turns automounting off, every container mounts the projected API token volume
/// (<c>kube-api-access-xxxxx</c> at the well-known path); a pod without image pull secrets gets the ServiceAccount's.
/// Mirror pods are left as they are.
/// </summary>
internal sealed class ServiceAccountAdmission(ResourceService service) : IAdmissionStep
{
    public const string DefaultName = "default";
    public const string VolumePrefix = "kube-api-access-";
    public const string MountPath = "/var/run/secrets/kubernetes.io/serviceaccount";
    private const string MirrorAnnotation = "kubernetes.io/config.mirror";

    // The real plugin retries the default ServiceAccount for a while (10 lookups 100-200 ms apart) because the
    // controller that creates it may not have caught up with a namespace created a moment ago.
    private const int DefaultLookups = 10;

    private static readonly string[] ContainerLists = ["initContainers", "containers"];

    public bool IsMutating => true;

    public async ValueTask AdmitAsync(AdmissionContext context, CancellationToken cancellationToken)
    {
        if (context.Operation != "CREATE" || context.Subresource is not null || context.Type is not { Group: "", Plural: "pods" } ||
            context.Object["spec"] is not JsonObject spec)
        {
            return;
        }

        if ((context.Object.Metadata()["annotations"] as JsonObject)?.ContainsKey(MirrorAnnotation) == true)
        {
            return;
        }

        var name = spec.GetString("serviceAccountName");
        if (string.IsNullOrEmpty(name))
        {
            name = DefaultName;
            spec["serviceAccountName"] = name;
            spec["serviceAccount"] = name;
        }

        var serviceAccount = await LookUpAsync(context.Namespace, name, cancellationToken)
            ?? throw ApiErrors.Forbidden(context.Type, context.MutatingPhaseName,
                $"error looking up service account {context.Namespace}/{name}: serviceaccount \"{name}\" not found");

        if (ShouldAutomount(spec, serviceAccount))
        {
            MountToken(spec);
        }

        if (spec["imagePullSecrets"] is not JsonArray { Count: > 0 } && serviceAccount["imagePullSecrets"] is JsonArray { Count: > 0 } secrets)
        {
            spec["imagePullSecrets"] = new JsonArray([.. secrets.OfType<JsonObject>().Select(s => (JsonNode)new JsonObject { ["name"] = s.GetString("name") })]);
        }
    }

    private async ValueTask<JsonObject?> LookUpAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var type = service.Registry.Find("", "v1", "serviceaccounts")!;
        var attempts = name == DefaultName ? DefaultLookups : 1;
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 + Random.Shared.Next(100)), cancellationToken);
            }

            if (service.TryGet(type, ns, name) is { } found)
            {
                return found.ToJsonObject();
            }
        }

        return null;
    }

    private static bool ShouldAutomount(JsonObject spec, JsonObject serviceAccount) =>
        spec["automountServiceAccountToken"].GetBool() ?? serviceAccount["automountServiceAccountToken"].GetBool() ?? true;

    private static void MountToken(JsonObject spec)
    {
        var volumes = spec["volumes"] as JsonArray;
        var existing = volumes?.OfType<JsonObject>().Select(v => v.GetString("name")).FirstOrDefault(n => n?.StartsWith(VolumePrefix, StringComparison.Ordinal) == true);
        var volumeName = existing ?? VolumePrefix + ResourceService.RandomSuffix();
        var mounted = false;
        foreach (var list in ContainerLists)
        {
            foreach (var container in (spec[list] as JsonArray ?? []).OfType<JsonObject>())
            {
                var mounts = container["volumeMounts"] as JsonArray;
                if (mounts?.OfType<JsonObject>().Any(m => m.GetString("mountPath") == MountPath) == true)
                {
                    continue;
                }

                if (mounts is null)
                {
                    mounts = [];
                    container["volumeMounts"] = mounts;
                }

                mounts.Add(new JsonObject { ["name"] = volumeName, ["readOnly"] = true, ["mountPath"] = MountPath });
                mounted = true;
            }
        }

        if (existing is null && mounted)
        {
            if (volumes is null)
            {
                volumes = [];
                spec["volumes"] = volumes;
            }

            volumes.Add(TokenVolume(volumeName));
        }
    }

    private static JsonObject TokenVolume(string name) => new()
    {
        ["name"] = name,
        ["projected"] = new JsonObject
        {
            ["defaultMode"] = 420,
            ["sources"] = new JsonArray(
                new JsonObject { ["serviceAccountToken"] = new JsonObject { ["expirationSeconds"] = 3607, ["path"] = "token" } },
                new JsonObject
                {
                    ["configMap"] = new JsonObject
                    {
                        ["name"] = NamespaceDefaultObjects.RootCaConfigMapName,
                        ["items"] = new JsonArray(new JsonObject { ["key"] = "ca.crt", ["path"] = "ca.crt" }),
                    },
                },
                new JsonObject
                {
                    ["downwardAPI"] = new JsonObject
                    {
                        ["items"] = new JsonArray(new JsonObject
                        {
                            ["fieldRef"] = new JsonObject { ["apiVersion"] = "v1", ["fieldPath"] = "metadata.namespace" },
                            ["path"] = "namespace",
                        }),
                    },
                }),
        },
    };
}
