using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using NetworkOperator.Simulator.ApiServer;
using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Serialization;

namespace NetworkOperator.Simulator.Admission.Quota;

/// <summary>
/// The ResourceQuota admission plugin, last of the validating phase as on kube-apiserver: a create in a namespace with
/// quotas is checked against every quota whose <c>status.hard</c> names something it costs and whose scopes select it,
/// then charged to their <c>status.used</c> before it is stored. Refusals are the real 403s:
/// <c>exceeded quota: NAME, requested: ..., used: ..., limited: ...</c>, <c>failed quota: NAME: must specify limits.cpu
/// for: c</c>, and <c>status unknown for quota: NAME, resources: ...</c> while the quota controller has not yet
/// counted a new quota. Checks and charges of one namespace are serialized, as the plugin's per-namespace work queue
/// does, so concurrent creates cannot both take the last unit.
/// </summary>
internal sealed class ResourceQuotaAdmission(ResourceService service) : IAdmissionStep
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _namespaces = new(StringComparer.Ordinal);

    public bool IsMutating => false;

    public async ValueTask AdmitAsync(AdmissionContext context, CancellationToken cancellationToken)
    {
        // Object counts and pods are charged on create; updates of services and claims are not re-evaluated here.
        if (context.Operation != "CREATE" || context.Subresource is not null || context.Namespace.Length == 0 || !context.Type.Namespaced)
        {
            return;
        }

        var quotaType = service.Registry.Find("", "v1", "resourcequotas")!;
        if (service.List(quotaType, context.Namespace).Items.Count == 0)
        {
            return;
        }

        var gate = _namespaces.GetOrAdd(context.Namespace, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            var charges = Check(context, [.. service.List(quotaType, context.Namespace).Objects]);
            if (context.DryRun)
            {
                return;
            }

            foreach (var (quota, requested) in charges)
            {
                await service.GuaranteedUpdateAsync(quotaType, context.Namespace, quota, 0, "status", WriteOptions.Default, (current, _) =>
                {
                    var status = current["status"] as JsonObject ?? new JsonObject();
                    var used = ResourceList.From(status["used"] as JsonObject);
                    used.Add(requested);
                    status["used"] = used.ToJson();
                    current["status"] = status;
                    return current;
                }, cancellationToken);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>What the object costs each quota that applies to it; throws the plugin's refusal when one is exceeded.</summary>
    private static List<(string Quota, ResourceList Requested)> Check(AdmissionContext context, List<JsonObject> quotas)
    {
        var type = context.Type;
        var obj = context.Object;
        var applicable = new List<(string Name, ResourceList Hard, ResourceList Used, List<string> Restricted)>();
        foreach (var quota in quotas)
        {
            var name = GoName(quota);
            var status = quota["status"] as JsonObject;
            var hard = ResourceList.From(status?["hard"] as JsonObject);
            var restricted = QuotaEvaluator.MatchingResources(type, hard.Keys);
            if (restricted.Count == 0 || !QuotaEvaluator.MatchesScopes(type, obj, QuotaEvaluator.ScopeSelectors(quota)))
            {
                continue;
            }

            if (QuotaEvaluator.IsPod(type) && QuotaEvaluator.MissingComputeResources(obj, restricted) is { } missing)
            {
                throw Refusal(context, $"failed quota: {name}: {missing}");
            }

            var used = ResourceList.From(status?["used"] as JsonObject);
            var unknown = restricted.Where(r => !used.ContainsKey(r)).Order(StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
            {
                throw Refusal(context, $"status unknown for quota: {name}, resources: {string.Join(",", unknown)}");
            }

            applicable.Add((name, hard, used, restricted));
        }

        var usage = QuotaEvaluator.Usage(type, obj).WithoutZeros();
        var charges = new List<(string, ResourceList)>();
        foreach (var (name, hard, used, _) in applicable)
        {
            var requested = usage.Mask(hard.Keys);
            if (requested.Count == 0)
            {
                continue;
            }

            var exceeded = requested.Keys.Where(r => (used.TryGetValue(r, out var u) ? u.Value : 0) + requested[r].Value > hard[r].Value).ToList();
            if (exceeded.Count > 0)
            {
                throw Refusal(context, $"exceeded quota: {name}, requested: {requested.Mask(exceeded)}, used: {used.Mask(exceeded)}, " +
                    $"limited: {hard.Mask(exceeded)}");
            }

            charges.Add((name, requested));
        }

        return charges;
    }

    private static string GoName(JsonObject quota) => (quota["metadata"] as JsonObject)?.GetString("name") ?? "";

    private static ApiException Refusal(AdmissionContext context, string message) => ApiErrors.Forbidden(context.Type, context.Name, message);
}
