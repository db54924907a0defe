using Microsoft.Extensions.Time.Testing;
using NetworkOperator.Runtime.Queue;

namespace NetworkOperator.Runtime.Tests.Queue;

public class RateLimiterTests
{
    [Fact]
    public void Exponential_backoff_doubles_from_5ms_per_item_and_forget_resets_it()
    {
        var limiter = new ItemExponentialFailureRateLimiter<string>();

        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.NextDelay("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(10), limiter.NextDelay("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(20), limiter.NextDelay("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.NextDelay("b"));
        Assert.Equal(3, limiter.NumRequeues("a"));

        limiter.Forget("a");

        Assert.Equal(0, limiter.NumRequeues("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.NextDelay("a"));
    }

    [Fact]
    public void Exponential_backoff_is_capped_at_1000s_and_never_overflows()
    {
        var limiter = new ItemExponentialFailureRateLimiter<string>();
        var last = TimeSpan.Zero;
        for (var i = 0; i < 200; i++)
        {
            last = limiter.NextDelay("x");
            Assert.True(last > TimeSpan.Zero);
        }

        Assert.Equal(TimeSpan.FromSeconds(1000), last);
    }

    [Fact]
    public void Token_bucket_allows_a_burst_of_100_then_10_per_second()
    {
        var time = new FakeTimeProvider();
        var limiter = new TokenBucketRateLimiter<string>(time);

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(TimeSpan.Zero, limiter.NextDelay($"k{i}"));
        }

        Assert.Equal(TimeSpan.FromMilliseconds(100), limiter.NextDelay("k100"));
        Assert.Equal(TimeSpan.FromMilliseconds(200), limiter.NextDelay("k101"));

        // Two reserved tokens are owed; one second refills ten, leaving eight free before waits start again.
        time.Advance(TimeSpan.FromSeconds(1));
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(TimeSpan.Zero, limiter.NextDelay($"m{i}"));
        }

        Assert.Equal(TimeSpan.FromMilliseconds(100), limiter.NextDelay("m8"));
    }

    [Fact]
    public void Default_limiter_takes_the_longer_of_item_backoff_and_overall_rate()
    {
        var time = new FakeTimeProvider();
        var limiter = RateLimiters.Default<string>(time);

        // Within the burst the per-item backoff decides.
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.NextDelay("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(10), limiter.NextDelay("a"));
        for (var i = 0; i < 98; i++)
        {
            limiter.NextDelay($"k{i}");
        }

        // Burst exhausted: a fresh item still waits for the bucket (100 ms) rather than its own 5 ms.
        Assert.Equal(TimeSpan.FromMilliseconds(100), limiter.NextDelay("fresh"));
        Assert.Equal(2, limiter.NumRequeues("a"));
        limiter.Forget("a");
        Assert.Equal(0, limiter.NumRequeues("a"));
    }
}
