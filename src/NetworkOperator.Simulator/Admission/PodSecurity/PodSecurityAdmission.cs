using System.Text.Json.Nodes;
using NetworkOperator.Simulator.ApiServer;
using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Serialization;

namespace NetworkOperator.Simulator.Admission.PodSecurity;

/// <summary>
/// The built-in PodSecurity admission plugin. Pods (create, update of their images or seccomp, ephemeral containers)
/// are refused when they violate the namespace's enforce level — 403 <c>pods "x" is forbidden: violates PodSecurity
/// "restricted:latest": ...</c> — and get a warning for its warn level. Workloads with a pod template (DaemonSet,
/// Deployment, ReplicaSet, StatefulSet, Job, CronJob, ReplicationController, PodTemplate) are never refused, only
/// warned about at the warn level: their controllers meet the refusal when they create the pods. Namespaces must carry
/// valid labels, and tightening a namespace's enforce level warns about the existing pods that would violate it.
/// </summary>
internal sealed class PodSecurityAdmission(ResourceService service) : IAdmissionStep
{
    private const int MaxPodsChecked = 3000;

    private static readonly HashSet<(string Group, string Resource)> PodControllers =
    [
        ("", "replicationcontrollers"), ("", "podtemplates"), ("apps", "replicasets"), ("apps", "deployments"),
        ("apps", "statefulsets"), ("apps", "daemonsets"), ("batch", "jobs"), ("batch", "cronjobs"),
    ];

    private static readonly string[] ContainerLists = ["containers", "initContainers", "ephemeralContainers"];

    public bool IsMutating => false;

    private PodSecurityDefaults Defaults => service.Options.PodSecurity;

    public ValueTask AdmitAsync(AdmissionContext context, CancellationToken cancellationToken)
    {
        if (context.Operation is not ("CREATE" or "UPDATE"))
        {
            return ValueTask.CompletedTask;
        }

        var type = context.Type;
        if (type is { Group: "", Plural: "namespaces" })
        {
            AdmitNamespace(context);
        }
        else if (type is { Group: "", Plural: "pods" })
        {
            AdmitPod(context);
        }
        else if (PodControllers.Contains((type.Group, type.Plural)) && context.Subresource is null)
        {
            AdmitPodController(context);
        }

        return ValueTask.CompletedTask;
    }

    private void AdmitPod(AdmissionContext context)
    {
        if (context.Subresource is not (null or "ephemeralcontainers") || Defaults.ExemptNamespaces.Contains(context.Namespace))
        {
            return;
        }

        var policy = PolicyOf(context.Namespace);
        if (policy is null || (policy.Errors.Count == 0 && policy.AllPrivileged))
        {
            return;
        }

        var spec = context.Object["spec"] as JsonObject ?? new JsonObject();
        if (context.Operation == "UPDATE" && context.OldObject is { } old && !SignificantPodUpdate(context.Object, old))
        {
            return;
        }

        var metadata = context.Object["metadata"] as JsonObject;
        var enforced = PodSecurityChecks.Evaluate(policy.Enforce, metadata, spec);
        if (enforced.Count > 0)
        {
            throw ApiErrors.Forbidden(context.Type, context.Name,
                $"violates PodSecurity \"{policy.Enforce}\": {PodSecurityChecks.Describe(enforced)}");
        }

        Warn(context, policy, metadata, spec, policy.Warn == policy.Enforce ? enforced : null);
    }

    private void AdmitPodController(AdmissionContext context)
    {
        if (Defaults.ExemptNamespaces.Contains(context.Namespace))
        {
            return;
        }

        var policy = PolicyOf(context.Namespace);
        if (policy is null || (policy.Errors.Count == 0 && policy.Warn.Level == PodSecurityLevel.Privileged && policy.Audit.Level == PodSecurityLevel.Privileged))
        {
            return;
        }

        var template = context.Type.Plural switch
        {
            "cronjobs" => ((context.Object["spec"] as JsonObject)?["jobTemplate"] as JsonObject)?["spec"] is JsonObject jobSpec
                ? jobSpec["template"] as JsonObject
                : null,
            "podtemplates" => context.Object["template"] as JsonObject,
            _ => (context.Object["spec"] as JsonObject)?["template"] as JsonObject,
        };
        if (template is null)
        {
            return;
        }

        Warn(context, policy, template["metadata"] as JsonObject, template["spec"] as JsonObject ?? new JsonObject(), null);
    }

    private static void Warn(AdmissionContext context, NamespacePodSecurity policy, JsonObject? metadata, JsonObject spec,
        IReadOnlyList<PodSecurityViolation>? evaluated)
    {
        var violations = evaluated ?? PodSecurityChecks.Evaluate(policy.Warn, metadata, spec);
        if (violations.Count > 0)
        {
            context.Options.Warnings?.Add($"would violate PodSecurity \"{policy.Warn}\": {PodSecurityChecks.Describe(violations)}");
        }
    }

    private void AdmitNamespace(AdmissionContext context)
    {
        if (context.Subresource is not null)
        {
            return;
        }

        var labels = (context.Object.Metadata()["labels"] as JsonObject).GetStringMap();
        var policy = NamespacePodSecurity.From(labels, Defaults);
        if (context.Operation == "CREATE" || context.OldObject is null)
        {
            if (policy.Errors.Count > 0)
            {
                throw ApiErrors.Invalid(context.Type, context.Name, policy.Errors);
            }

            return;
        }

        var oldPolicy = NamespacePodSecurity.From((context.OldObject.Metadata()["labels"] as JsonObject).GetStringMap(), Defaults);
        if (policy.Errors.Count > 0 && (oldPolicy.Errors.Count == 0 || !policy.Errors.SequenceEqual(oldPolicy.Errors)))
        {
            throw ApiErrors.Invalid(context.Type, context.Name, policy.Errors);
        }

        // Only a stricter enforce level (or another version) can make existing pods violate it.
        if (policy.Enforce == oldPolicy.Enforce || policy.Enforce.Level == PodSecurityLevel.Privileged
            || (policy.Enforce.Minor == oldPolicy.Enforce.Minor && policy.Enforce.Level <= oldPolicy.Enforce.Level)
            || Defaults.ExemptNamespaces.Contains(context.Name) || context.Options.Warnings is not { } warnings)
        {
            return;
        }

        var pods = service.List(service.ResolveKind("v1", "Pod"), context.Name).Items;
        var byReason = new Dictionary<string, (string FirstPod, int Count)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var stored in pods.Take(MaxPodsChecked))
        {
            var pod = stored.ToJsonObject();
            var violations = PodSecurityChecks.Evaluate(policy.Enforce, pod["metadata"] as JsonObject, pod["spec"] as JsonObject ?? new JsonObject());
            if (violations.Count == 0)
            {
                continue;
            }

            var reason = string.Join(", ", violations.Select(v => v.Reason));
            if (!byReason.TryGetValue(reason, out var seen))
            {
                order.Add(reason);
                byReason[reason] = (stored.Name, 1);
            }
            else
            {
                byReason[reason] = (string.CompareOrdinal(stored.Name, seen.FirstPod) < 0 ? stored.Name : seen.FirstPod, seen.Count + 1);
            }
        }

        if (pods.Count > MaxPodsChecked)
        {
            warnings.Add($"new PodSecurity enforce level only checked against the first {MaxPodsChecked} of {pods.Count} existing pods");
        }

        if (order.Count == 0)
        {
            return;
        }

        warnings.Add($"existing pods in namespace \"{context.Name}\" violate the new PodSecurity enforce level \"{policy.Enforce}\"");
        var decorated = order.Select(reason =>
        {
            var (first, count) = byReason[reason];
            return count switch
            {
                1 => $"{first}: {reason}",
                2 => $"{first} (and 1 other pod): {reason}",
                _ => $"{first} (and {count - 1} other pods): {reason}",
            };
        }).Order(StringComparer.Ordinal);
        foreach (var warning in decorated)
        {
            warnings.Add(warning);
        }
    }

    private NamespacePodSecurity? PolicyOf(string ns)
    {
        var stored = service.TryGet(service.ResolveKind("v1", "Namespace"), null, ns);
        return stored is null ? null : NamespacePodSecurity.From(stored.Labels, Defaults);
    }

    // Only images, seccomp annotations and added ephemeral containers can change a pod's security after creation.
    private static bool SignificantPodUpdate(JsonObject pod, JsonObject old)
    {
        var annotations = (pod.Metadata()["annotations"] as JsonObject).GetStringMap();
        var oldAnnotations = (old.Metadata()["annotations"] as JsonObject).GetStringMap();
        const string podSeccomp = "seccomp.security.alpha.kubernetes.io/pod";
        if (annotations.GetValueOrDefault(podSeccomp) != oldAnnotations.GetValueOrDefault(podSeccomp))
        {
            return true;
        }

        var spec = pod["spec"] as JsonObject;
        var oldSpec = old["spec"] as JsonObject;
        foreach (var list in ContainerLists)
        {
            var containers = (spec?[list] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
            var oldContainers = (oldSpec?[list] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
            if (containers.Count != oldContainers.Count)
            {
                return true;
            }

            for (var i = 0; i < containers.Count; i++)
            {
                var name = containers[i].GetString("name");
                var key = "container.seccomp.security.alpha.kubernetes.io/" + name;
                if (containers[i].GetString("image") != oldContainers[i].GetString("image")
                    || annotations.GetValueOrDefault(key) != oldAnnotations.GetValueOrDefault(key))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
