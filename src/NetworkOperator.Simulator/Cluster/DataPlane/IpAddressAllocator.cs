namespace NetworkOperator.Simulator.Cluster.DataPlane;

/// <summary>
/// Hands out addresses from IPAM pools, unique per pool across all pods, and takes them back when a pod goes. Pools
/// are keyed by what identifies them to the IPAM plugin (a whereabouts range, an nv-ipam pool), so two NADs sharing a
/// range share its addresses, as they do with a real whereabouts store.
/// </summary>
public sealed class IpAddressAllocator
{
    private readonly Dictionary<string, HashSet<uint>> _used = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(string Pool, uint Address)>> _owned = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>The lowest free usable address of the pool for the pod, or null when the pool is exhausted.</summary>
    public string? Allocate(string podKey, string pool, Ipv4Range range)
    {
        lock (_lock)
        {
            var used = Used(pool);
            for (var address = range.First; address <= range.Last && address >= range.First; address++)
            {
                if (!used.Contains(address) && range.IsUsable(address))
                {
                    Reserve(podKey, pool, address, used);
                    return Ipv4Range.ToText(address);
                }
            }

            return null;
        }
    }

    /// <summary>Records an address already in use (a static request, or a pod found running at start).</summary>
    public bool TryReserve(string podKey, string pool, string address)
    {
        var value = Ipv4Range.ToUInt(System.Net.IPAddress.Parse(address));
        lock (_lock)
        {
            var used = Used(pool);
            if (used.Contains(value))
            {
                return _owned.TryGetValue(podKey, out var mine) && mine.Contains((pool, value));
            }

            Reserve(podKey, pool, value, used);
            return true;
        }
    }

    public void Release(string podKey)
    {
        lock (_lock)
        {
            if (_owned.Remove(podKey, out var addresses))
            {
                foreach (var (pool, address) in addresses)
                {
                    Used(pool).Remove(address);
                }
            }
        }
    }

    public int InUse(string pool)
    {
        lock (_lock)
        {
            return _used.TryGetValue(pool, out var used) ? used.Count : 0;
        }
    }

    private HashSet<uint> Used(string pool)
    {
        if (!_used.TryGetValue(pool, out var used))
        {
            _used[pool] = used = [];
        }

        return used;
    }

    private void Reserve(string podKey, string pool, uint address, HashSet<uint> used)
    {
        used.Add(address);
        if (!_owned.TryGetValue(podKey, out var list))
        {
            _owned[podKey] = list = [];
        }

        list.Add((pool, address));
    }
}
