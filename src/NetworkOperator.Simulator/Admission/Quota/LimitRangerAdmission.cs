using System.Globalization;
using System.Text.Json.Nodes;
using NetworkOperator.Simulator.ApiServer;
using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Serialization;
using NetworkOperator.Simulator.Validation;

namespace NetworkOperator.Simulator.Admission.Quota;

/// <summary>
/// The LimitRanger admission plugin, in both its phases as on kube-apiserver. Mutating, on pod creation: containers
/// and init containers without a request or limit a namespace's LimitRange defaults get it, and the pod is annotated
/// <c>kubernetes.io/limit-ranger: LimitRanger plugin set: cpu request for container c; ...</c>. Validating: container,
/// pod and claim min, max and max limit/request ratio, refused with the plugin's 403
/// (<c>maximum cpu usage per Container is 1, but limit is 2</c>). Pod updates are left alone (containers are immutable).
/// </summary>
internal sealed class LimitRangerAdmission(ResourceService service, bool mutating) : IAdmissionStep
{
    private const string Annotation = "kubernetes.io/limit-ranger";

    public bool IsMutating => mutating;

    public ValueTask AdmitAsync(AdmissionContext context, CancellationToken cancellationToken)
    {
        var isPod = context.Type is { Group: "", Plural: "pods" };
        var isClaim = context.Type is { Group: "", Plural: "persistentvolumeclaims" };
        if (context.Subresource is not null || !(isPod || isClaim) || context.Operation is not ("CREATE" or "UPDATE")
            || (isPod && context.Operation == "UPDATE") || context.OldObject?.Metadata()["deletionTimestamp"] is not null)
        {
            return ValueTask.CompletedTask;
        }

        var limitRanges = service.List(service.Registry.Find("", "v1", "limitranges")!, context.Namespace).Objects.ToList();
        foreach (var limitRange in limitRanges)
        {
            var items = ((limitRange["spec"] as JsonObject)?["limits"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            if (mutating)
            {
                if (isPod)
                {
                    ApplyDefaults(context.Object, items);
                }

                continue;
            }

            var errors = isPod ? ValidatePod(context.Object, items) : ValidateClaim(context.Object, items);
            var distinct = errors.Distinct(StringComparer.Ordinal).ToList();
            if (distinct.Count > 0)
            {
                throw ApiErrors.Forbidden(context.Type, context.Name, distinct.Count == 1 ? distinct[0] : "[" + string.Join(", ", distinct) + "]");
            }
        }

        return ValueTask.CompletedTask;
    }

    private static void ApplyDefaults(JsonObject pod, List<JsonObject> items)
    {
        var defaultRequests = new ResourceList();
        var defaultLimits = new ResourceList();
        foreach (var item in items.Where(i => i.GetString("type") == "Container"))
        {
            foreach (var (name, quantity) in ResourceList.From(item["defaultRequest"] as JsonObject))
            {
                defaultRequests[name] = quantity;
            }

            foreach (var (name, quantity) in ResourceList.From(item["default"] as JsonObject))
            {
                defaultLimits[name] = quantity;
            }
        }

        var notes = new List<string>();
        var spec = pod["spec"] as JsonObject;
        foreach (var (list, label) in new[] { ("containers", "container"), ("initContainers", "init container") })
        {
            foreach (var container in (spec?[list] as JsonArray ?? []).OfType<JsonObject>())
            {
                var resources = container["resources"] as JsonObject ?? new JsonObject();
                container["resources"] = resources;
                var setLimits = Merge(resources, "limits", defaultLimits);
                var setRequests = Merge(resources, "requests", defaultRequests);
                var name = container.GetString("name");
                if (setRequests.Count > 0)
                {
                    notes.Add($"{string.Join(", ", setRequests)} request for {label} {name}");
                }

                if (setLimits.Count > 0)
                {
                    notes.Add($"{string.Join(", ", setLimits)} limit for {label} {name}");
                }
            }
        }

        if (notes.Count > 0)
        {
            var metadata = pod.Metadata();
            var annotations = metadata["annotations"] as JsonObject ?? new JsonObject();
            metadata["annotations"] = annotations;
            annotations[Annotation] = "LimitRanger plugin set: " + string.Join("; ", notes);
        }
    }

    /// <summary>Sets the defaults a container lacks; returns their names, sorted.</summary>
    private static List<string> Merge(JsonObject resources, string field, ResourceList defaults)
    {
        var own = resources[field] as JsonObject ?? new JsonObject();
        var set = new List<string>();
        foreach (var (name, quantity) in defaults)
        {
            if (!own.ContainsKey(name))
            {
                own[name] = quantity.ToString();
                set.Add(name);
            }
        }

        if (own.Count > 0)
        {
            resources[field] = own;
        }

        return set;
    }

    private static List<string> ValidatePod(JsonObject pod, List<JsonObject> items)
    {
        var errors = new List<string>();
        var spec = pod["spec"] as JsonObject;
        foreach (var item in items)
        {
            switch (item.GetString("type"))
            {
                case "Container":
                    foreach (var list in new[] { "containers", "initContainers" })
                    {
                        foreach (var container in (spec?[list] as JsonArray ?? []).OfType<JsonObject>())
                        {
                            var resources = container["resources"] as JsonObject;
                            Check(errors, "Container", item, ResourceList.From(resources?["requests"] as JsonObject), ResourceList.From(resources?["limits"] as JsonObject));
                        }
                    }

                    break;
                case "Pod":
                    Check(errors, "Pod", item, PodResourceTotals.Of(spec, "requests", withOverhead: false), PodResourceTotals.Of(spec, "limits", withOverhead: false));
                    break;
            }
        }

        return errors;
    }

    private static List<string> ValidateClaim(JsonObject claim, List<JsonObject> items)
    {
        var errors = new List<string>();
        var requests = ResourceList.From(((claim["spec"] as JsonObject)?["resources"] as JsonObject)?["requests"] as JsonObject);
        foreach (var item in items.Where(i => i.GetString("type") == "PersistentVolumeClaim"))
        {
            foreach (var (name, min) in ResourceList.From(item["min"] as JsonObject))
            {
                AddIfNotNull(errors, MinConstraint("PersistentVolumeClaim", name, min, requests, new ResourceList()));
            }

            foreach (var (name, max) in ResourceList.From(item["max"] as JsonObject))
            {
                if (!requests.TryGetValue(name, out var request))
                {
                    errors.Add($"maximum {name} usage per PersistentVolumeClaim is {max}.  No request is specified");
                }
                else if (Milli(request) > Milli(max))
                {
                    errors.Add($"maximum {name} usage per PersistentVolumeClaim is {max}, but request is {request}");
                }
            }
        }

        return errors;
    }

    private static void Check(List<string> errors, string limitType, JsonObject item, ResourceList requests, ResourceList limits)
    {
        foreach (var (name, min) in ResourceList.From(item["min"] as JsonObject))
        {
            AddIfNotNull(errors, MinConstraint(limitType, name, min, requests, limits));
        }

        foreach (var (name, max) in ResourceList.From(item["max"] as JsonObject))
        {
            if (!limits.TryGetValue(name, out var limit))
            {
                errors.Add($"maximum {name} usage per {limitType} is {max}.  No limit is specified");
            }
            else if (Milli(limit) > Milli(max))
            {
                errors.Add($"maximum {name} usage per {limitType} is {max}, but limit is {limit}");
            }
            else if (requests.TryGetValue(name, out var request) && Milli(request) > Milli(max))
            {
                errors.Add($"maximum {name} usage per {limitType} is {max}, but request is {request}");
            }
        }

        foreach (var (name, ratio) in ResourceList.From(item["maxLimitRequestRatio"] as JsonObject))
        {
            var hasRequest = requests.TryGetValue(name, out var request) && Milli(request) != 0;
            var hasLimit = limits.TryGetValue(name, out var limit) && Milli(limit) != 0;
            if (!hasRequest)
            {
                errors.Add($"{name} max limit to request ratio per {limitType} is {ratio}, but no request is specified or request is 0");
            }
            else if (!hasLimit)
            {
                errors.Add($"{name} max limit to request ratio per {limitType} is {ratio}, but no limit is specified or limit is 0");
            }
            else
            {
                var observed = (double)Milli(limit!) / (double)Milli(request!);
                if (observed * 1000 > (double)Milli(ratio))
                {
                    errors.Add($"{name} max limit to request ratio per {limitType} is {ratio}, but provided ratio is " +
                        observed.ToString("F6", CultureInfo.InvariantCulture));
                }
            }
        }
    }

    private static string? MinConstraint(string limitType, string name, Quantity min, ResourceList requests, ResourceList limits)
    {
        if (!requests.TryGetValue(name, out var request))
        {
            return $"minimum {name} usage per {limitType} is {min}.  No request is specified";
        }

        if (Milli(request) < Milli(min))
        {
            return $"minimum {name} usage per {limitType} is {min}, but request is {request}";
        }

        return limits.TryGetValue(name, out var limit) && Milli(limit) < Milli(min)
            ? $"minimum {name} usage per {limitType} is {min}, but limit is {limit}"
            : null;
    }

    private static void AddIfNotNull(List<string> errors, string? error)
    {
        if (error is not null)
        {
            errors.Add(error);
        }
    }

    // Compared at milli precision, rounding up, as resource.Quantity.MilliValue does.
    private static decimal Milli(Quantity quantity) => decimal.Ceiling(quantity.Value * 1000);
}
