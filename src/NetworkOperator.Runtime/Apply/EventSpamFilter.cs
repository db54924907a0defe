namespace NetworkOperator.Runtime.Apply;

/// <summary>
/// client-go's event spam filter: a token bucket per (source, involved object) — a burst of <see cref="Burst"/> Events,
/// then one more per <see cref="RefillInterval"/>. Events beyond it are dropped, not written, so however many
/// transitions a controller reports about one object (a policy during a 1,000-node upgrade), its Event writes stay
/// bounded; the object's status carries the full picture.
/// </summary>
internal sealed class EventSpamFilter(TimeProvider time)
{
    public const int Burst = 25;
    public static readonly TimeSpan RefillInterval = TimeSpan.FromMinutes(5);

    private const int MaxRemembered = 4096;
    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Takes a token for the object; false means the Event is dropped.</summary>
    public bool Allow(string objectKey)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (!_buckets.TryGetValue(objectKey, out var bucket))
            {
                if (_buckets.Count >= MaxRemembered)
                {
                    // Full buckets carry no state worth keeping; forget those first.
                    foreach (var full in _buckets.Where(b => Refilled(b.Value, now) >= Burst).Select(b => b.Key).ToList())
                    {
                        _buckets.Remove(full);
                    }

                    if (_buckets.Count >= MaxRemembered)
                    {
                        _buckets.Clear();
                    }
                }

                bucket = new Bucket { Tokens = Burst, Updated = now };
                _buckets[objectKey] = bucket;
            }

            bucket.Tokens = Refilled(bucket, now);
            bucket.Updated = now;
            if (bucket.Tokens < 1)
            {
                return false;
            }

            bucket.Tokens -= 1;
            return true;
        }
    }

    private static double Refilled(Bucket bucket, DateTimeOffset now) =>
        Math.Min(Burst, bucket.Tokens + ((now - bucket.Updated) / RefillInterval));

    private sealed class Bucket
    {
        public double Tokens { get; set; }

        public DateTimeOffset Updated { get; set; }
    }
}
