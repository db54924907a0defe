using System.Text.Json.Nodes;
using NetworkOperator.Simulator.ApiServer;
using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Selectors;

namespace NetworkOperator.Simulator.Auth;

/// <summary>
/// The cluster-role aggregation controller: a ClusterRole with an aggregationRule gets as rules the union of the
/// rules of every other ClusterRole whose labels match one of its clusterRoleSelectors (roles in name order, repeated
/// rules once). Runs on a background task after any ClusterRole change, as the real controller does.
/// </summary>
internal sealed class ClusterRoleAggregator : IAsyncDisposable
{
    private const string StorageKey = "clusterroles." + RbacIndex.Group;
    private readonly ResourceService _service;
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ClusterRoleAggregator(ResourceService service)
    {
        _service = service;
        service.Store.Committed += OnCommitted;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Brings every aggregated ClusterRole up to date now (at start, so admin/edit/view are filled before the first request).</summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        // Aggregated roles can feed each other (view → edit → admin): repeat until nothing changes.
        for (var pass = 0; pass < 16; pass++)
        {
            try
            {
                if (!await SyncOnceAsync(cancellationToken))
                {
                    return;
                }
            }
            catch (ApiException ex) when (ex.Code == 409)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _service.Store.Committed -= OnCommitted;
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
        _signal.Dispose();
        _gate.Dispose();
    }

    private void OnCommitted(string storageKey, Watch.WatchEvent change)
    {
        if (storageKey == StorageKey && _signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled: the pending pass will see this change too.
            }
        }
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            await _signal.WaitAsync(_stop.Token);
            try
            {
                await SyncOnceAsync(_stop.Token);
            }
            catch (ApiException)
            {
                // A concurrent change (conflict, deleted role) signals again; the next pass retries.
            }
        }
    }

    private async Task<bool> SyncOnceAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await SyncUnderGateAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<bool> SyncUnderGateAsync(CancellationToken cancellationToken)
    {
        var type = _service.Registry.Find(RbacIndex.Group, "v1", "clusterroles")!;
        var roles = _service.Store.Snapshot(StorageKey).OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        var changed = false;
        foreach (var stored in roles)
        {
            var role = stored.ToJsonObject();
            if (role["aggregationRule"] is not JsonObject rule)
            {
                continue;
            }

            var aggregated = new List<PolicyRule>();
            foreach (var selectorNode in (rule["clusterRoleSelectors"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var selector = LabelSelectors.FromObject(selectorNode);
                foreach (var source in roles.Where(r => r.Name != stored.Name && selector is not null && selector.Matches(r.Labels)))
                {
                    foreach (var sourceRule in PolicyRule.ParseAll(source.ToJsonObject()["rules"]))
                    {
                        if (!aggregated.Contains(sourceRule))
                        {
                            aggregated.Add(sourceRule);
                        }
                    }
                }
            }

            if (aggregated.SequenceEqual(PolicyRule.ParseAll(role["rules"])))
            {
                continue;
            }

            role["rules"] = new JsonArray([.. aggregated.Select(r => (JsonNode)r.ToJson())]);
            await _service.UpdateAsync(type, null, role, cancellationToken: cancellationToken);
            changed = true;
        }

        return changed;
    }
}
