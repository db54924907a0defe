namespace NetworkOperator.Runtime.Queue;

public static class RateLimiters
{
    /// <summary>client-go's default controller limiter: per-item 5 ms → 1000 s backoff, overall 10 qps burst 100.</summary>
    public static IRateLimiter<T> Default<T>(TimeProvider time)
        where T : notnull =>
        new MaxOfRateLimiter<T>(
            new ItemExponentialFailureRateLimiter<T>(),
            new TokenBucketRateLimiter<T>(time));
}
