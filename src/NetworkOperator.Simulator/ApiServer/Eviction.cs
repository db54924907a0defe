using System.Globalization;
using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Selectors;
using NetworkOperator.Simulator.Serialization;

namespace NetworkOperator.Simulator.ApiServer;

/// <summary>
/// The pods/eviction subresource: deletes the pod only if no PodDisruptionBudget forbids it, otherwise answers
/// 429 as the real server does. Budget status is computed from the matching pods' Ready condition.
/// </summary>
public static class Eviction
{
    public static async Task EvictAsync(ResourceService service, string ns, string podName, JsonObject eviction,
        CancellationToken cancellationToken)
    {
        var podType = service.Registry.Find("", "v1", "pods")!;
        var pdbType = service.Registry.Find("policy", "v1", "poddisruptionbudgets")!;
        var bodyName = eviction.Metadata().GetString("name");
        if (!string.IsNullOrEmpty(bodyName) && bodyName != podName)
        {
            throw ApiErrors.BadRequest($"name in URL does not match name in Eviction object");
        }

        var deleteOptions = DeleteOptionsOf(eviction["deleteOptions"] as JsonObject);
        for (var attempt = 0; ; attempt++)
        {
            var pod = service.Get(podType, ns, podName);
            var podObject = pod.ToJsonObject();
            var phase = (podObject["status"] as JsonObject)?.GetString("phase");
            if (pod.IsDeleting || phase is "Succeeded" or "Failed" or "Pending")
            {
                await service.DeleteAsync(podType, ns, podName, deleteOptions, cancellationToken);
                return;
            }

            var budgets = service.List(pdbType, ns).Items
                .Where(b => LabelSelectors.FromObject((b.ToJsonObject()["spec"] as JsonObject)?["selector"] as JsonObject)?.Matches(pod.Labels) == true)
                .ToList();
            if (budgets.Count == 0)
            {
                await service.DeleteAsync(podType, ns, podName, deleteOptions, cancellationToken);
                return;
            }

            if (budgets.Count > 1)
            {
                throw ApiErrors.Internal("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
            }

            var budget = budgets[0];
            var status = DisruptionBudgets.ComputeStatus(service, budget.ToJsonObject());
            var podReady = pod.IsReady;
            var budgetObject = budget.ToJsonObject();
            var alwaysAllowUnhealthy = (budgetObject["spec"] as JsonObject)?.GetString("unhealthyPodEvictionPolicy") == "AlwaysAllow";
            if (!podReady && (alwaysAllowUnhealthy || status.CurrentHealthy >= status.DesiredHealthy))
            {
                await service.DeleteAsync(podType, ns, podName, deleteOptions, cancellationToken);
                return;
            }

            if (status.DisruptionsAllowed <= 0)
            {
                throw new ApiException(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.",
                    causes: [new StatusCause("DisruptionBudget",
                        $"The disruption budget {budget.Name} needs {status.DesiredHealthy} healthy pods and has {status.CurrentHealthy} currently", "")],
                    retryAfterSeconds: 10);
            }

            // Record the disruption in the budget first, as the real server does, so concurrent evictions see it.
            var now = Timestamp.Format(service.Time.GetUtcNow());
            budgetObject["status"] = status.ToJson(budgetObject, status.DisruptionsAllowed - 1, podName, now);
            budgetObject.Metadata()["resourceVersion"] = budget.ResourceVersion.ToString(CultureInfo.InvariantCulture);
            try
            {
                await service.UpdateStatusAsync(pdbType, ns, budgetObject, cancellationToken: cancellationToken);
            }
            catch (ApiException ex) when (ex.Code == 409 && attempt < ConflictRetries - 1)
            {
                // As the real server (20 steps of ~500 ms): concurrent evictions under one budget race on its status.
                await Task.Delay(ConflictDelay(), service.Time, cancellationToken);
                continue;
            }

            await service.DeleteAsync(podType, ns, podName, deleteOptions, cancellationToken);
            return;
        }
    }

    private const int ConflictRetries = 20;

    private static TimeSpan ConflictDelay() => TimeSpan.FromMilliseconds(450 + Random.Shared.Next(100));

    private static DeleteOptions DeleteOptionsOf(JsonObject? options)
    {
        if (options is null)
        {
            return DeleteOptions.Default;
        }

        var preconditions = options["preconditions"] as JsonObject;
        return new DeleteOptions
        {
            GracePeriodSeconds = options["gracePeriodSeconds"].GetInt64(),
            PropagationPolicy = options.GetString("propagationPolicy"),
            PreconditionUid = preconditions?.GetString("uid"),
            PreconditionResourceVersion = preconditions?.GetString("resourceVersion"),
            DryRun = (options["dryRun"] as JsonArray)?.Any(v => v?.ToString() == "All") == true,
        };
    }
}
