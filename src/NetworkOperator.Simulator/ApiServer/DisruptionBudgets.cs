using System.Globalization;
using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Selectors;
using NetworkOperator.Simulator.Serialization;

namespace NetworkOperator.Simulator.ApiServer;

/// <summary>The disruption controller's arithmetic: expected, healthy and desired pod counts of a PodDisruptionBudget.</summary>
public static class DisruptionBudgets
{
    public sealed record BudgetStatus(int ExpectedPods, int CurrentHealthy, int DesiredHealthy, int DisruptionsAllowed)
    {
        public JsonObject ToJson(JsonObject budget, int disruptionsAllowed, string? disruptedPod, string now)
        {
            var status = (budget["status"] as JsonObject)?.DeepClone().AsObject() ?? new JsonObject();
            status["observedGeneration"] = budget.Metadata()["generation"].GetInt64() ?? 1;
            status["expectedPods"] = ExpectedPods;
            status["currentHealthy"] = CurrentHealthy;
            status["desiredHealthy"] = DesiredHealthy;
            status["disruptionsAllowed"] = Math.Max(0, disruptionsAllowed);
            if (disruptedPod is not null)
            {
                var disrupted = status["disruptedPods"] as JsonObject ?? new JsonObject();
                disrupted[disruptedPod] = now;
                status["disruptedPods"] = disrupted;
            }

            var conditions = new JsonArray(new JsonObject
            {
                ["type"] = "DisruptionAllowed",
                ["status"] = disruptionsAllowed > 0 ? "True" : "False",
                ["reason"] = disruptionsAllowed > 0 ? "SufficientPods" : "InsufficientPods",
                ["message"] = "",
                ["lastTransitionTime"] = now,
                ["observedGeneration"] = status["observedGeneration"]!.DeepClone(),
            });
            status["conditions"] = conditions;
            return status;
        }
    }

    public static BudgetStatus ComputeStatus(ResourceService service, JsonObject budget)
    {
        var podType = service.Registry.Find("", "v1", "pods")!;
        var spec = budget["spec"] as JsonObject ?? new JsonObject();
        var selector = LabelSelectors.FromObject(spec["selector"] as JsonObject);
        var ns = budget.Metadata().GetString("namespace") ?? "";
        int expected = 0, healthy = 0;
        if (selector is not null)
        {
            // Straight from the store: a budget is recomputed on every pod change of its namespace, and listing (sorted
            // copies) and parsing every selected pod made that quadratic in the pods during a drain.
            foreach (var pod in service.Store.Current(podType.StorageKey, ns))
            {
                if (!pod.IsDeleting && selector.Matches(pod.Labels))
                {
                    expected++;
                    healthy += pod.IsReady ? 1 : 0;
                }
            }
        }

        int desired;
        if (spec["minAvailable"] is { } minAvailable)
        {
            desired = Resolve(minAvailable, expected, roundUp: true);
        }
        else if (spec["maxUnavailable"] is { } maxUnavailable)
        {
            desired = Math.Max(0, expected - Resolve(maxUnavailable, expected, roundUp: true));
        }
        else
        {
            desired = 0;
        }

        return new BudgetStatus(expected, healthy, desired, Math.Max(0, healthy - desired));
    }

    /// <summary>An int-or-percent against a total; percentages round up as the disruption controller does.</summary>
    private static int Resolve(JsonNode value, int total, bool roundUp)
    {
        if (value.GetInt64() is { } number)
        {
            return (int)number;
        }

        var text = value.ToString();
        if (text.EndsWith('%') && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent))
        {
            var exact = total * percent / 100.0;
            return (int)(roundUp ? Math.Ceiling(exact) : Math.Floor(exact));
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
    }
}
