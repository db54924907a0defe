using System.Globalization;
using Xunit.Sdk;

namespace NetworkOperator.Tests.Shared;

/// <summary>
/// Polls a condition or an assertion until it holds, never a fixed sleep. Every test waits with the same deadline,
/// <see cref="Timeout"/>: generous because the tests share a loaded 2-core machine, and stretched on slower runners by
/// the environment (<c>CI</c> set doubles it; <c>TEST_TIMEOUT_SCALE</c>, a factor such as <c>1.5</c>, sets the
/// factor) instead of by editing numbers in tests. A wait only takes longer than its condition when it fails.
/// </summary>
internal static class Eventually
{
    private static readonly TimeSpan BaseTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(250);

    /// <summary>How long any wait of a test may take before it fails.</summary>
    public static TimeSpan Timeout { get; } = BaseTimeout * Scale(Environment.GetEnvironmentVariable("CI"), Environment.GetEnvironmentVariable("TEST_TIMEOUT_SCALE"));

    /// <summary>
    /// For a wait on a whole rollout (every node of a simulated cluster upgraded, a separate process started and
    /// converged): several times <see cref="Timeout"/>, so it scales with it.
    /// </summary>
    public static TimeSpan LongTimeout => Timeout * 3;

    /// <summary>Waits until <paramref name="condition"/> returns true; fails naming <paramref name="what"/>.</summary>
    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        TrueAsync(() => Task.FromResult(condition()), what, timeout);

    /// <summary>Waits until <paramref name="condition"/> returns true; fails naming <paramref name="what"/>.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Timeout;
        var start = TimeProvider.System.GetTimestamp();
        var poll = FirstPoll;
        while (!await condition())
        {
            if (TimeProvider.System.GetElapsedTime(start) > limit)
            {
                Assert.Fail($"timed out after {limit.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s waiting for: {what}");
            }

            await Task.Delay(poll);
            poll = Next(poll);
        }
    }

    /// <summary>Waits until <paramref name="probe"/> finds a value and returns it; fails naming <paramref name="what"/>.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null)
        where T : class
    {
        T? found = null;
        await TrueAsync(async () => (found = await probe()) is not null, what, timeout);
        return found!;
    }

    /// <summary>Waits until <paramref name="assertion"/> passes; on timeout fails with its last failure message.</summary>
    public static Task HoldsAsync(Action assertion, TimeSpan? timeout = null) =>
        HoldsAsync(() =>
        {
            assertion();
            return Task.CompletedTask;
        }, timeout);

    /// <summary>Waits until <paramref name="assertion"/> passes; on timeout fails with its last failure message.</summary>
    public static async Task HoldsAsync(Func<Task> assertion, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Timeout;
        var start = TimeProvider.System.GetTimestamp();
        var poll = FirstPoll;
        while (true)
        {
            try
            {
                await assertion();
                return;
            }
            catch (XunitException) when (TimeProvider.System.GetElapsedTime(start) <= limit)
            {
                // Not yet: past the deadline the filter lets the last failure through with its own message.
            }

            await Task.Delay(poll);
            poll = Next(poll);
        }
    }

    /// <summary>The factor on the base timeout: <c>TEST_TIMEOUT_SCALE</c> when given, else 2 under CI, else 1.</summary>
    internal static double Scale(string? ci, string? scale)
    {
        if (!string.IsNullOrWhiteSpace(scale))
        {
            return double.TryParse(scale, NumberStyles.Float, CultureInfo.InvariantCulture, out var factor) && factor > 0
                ? factor
                : throw new InvalidOperationException($"TEST_TIMEOUT_SCALE must be a positive number, not '{scale}'");
        }

        return string.IsNullOrWhiteSpace(ci) || string.Equals(ci, "false", StringComparison.OrdinalIgnoreCase) || ci == "0" ? 1 : 2;
    }

    private static TimeSpan Next(TimeSpan poll) => poll * 2 < LongestPoll ? poll * 2 : LongestPoll;
}
