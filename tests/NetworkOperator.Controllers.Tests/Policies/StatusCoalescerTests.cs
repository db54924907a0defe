using Microsoft.Extensions.Time.Testing;
using NetworkOperator.Controllers.Policies;

namespace NetworkOperator.Controllers.Tests.Policies;

public sealed class StatusCoalescerTests
{
    private const string Key = "NicClusterPolicy/nic-cluster-policy";

    [Fact]
    public void A_converging_status_is_written_at_most_once_a_second()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-05T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var coalescer = new StatusCoalescer(clock);
        var writes = 0;

        // A reconcile every 100 ms for 3 s, each with a changed but still converging status.
        for (var i = 0; i < 30; i++)
        {
            if (coalescer.Hold(Key, converging: true) is null)
            {
                writes++;
                coalescer.Written(Key);
            }

            clock.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.Equal(3, writes);
    }

    [Fact]
    public void The_hold_says_how_long_until_the_next_write_is_allowed()
    {
        var clock = new FakeTimeProvider();
        var coalescer = new StatusCoalescer(clock);
        Assert.Null(coalescer.Hold(Key, converging: true));
        coalescer.Written(Key);
        clock.Advance(TimeSpan.FromMilliseconds(300));
        Assert.Equal(TimeSpan.FromMilliseconds(700), coalescer.Hold(Key, converging: true));
        clock.Advance(TimeSpan.FromMilliseconds(700));
        Assert.Null(coalescer.Hold(Key, converging: true));
    }

    [Fact]
    public void The_final_status_an_error_or_a_spec_edit_is_never_held()
    {
        var clock = new FakeTimeProvider();
        var coalescer = new StatusCoalescer(clock);
        coalescer.Written(Key);
        Assert.NotNull(coalescer.Hold(Key, converging: true));
        Assert.Null(coalescer.Hold(Key, converging: false));
    }

    [Fact]
    public void Policies_are_held_independently_and_a_forgotten_one_starts_afresh()
    {
        var clock = new FakeTimeProvider();
        var coalescer = new StatusCoalescer(clock);
        coalescer.Written(Key);
        Assert.Null(coalescer.Hold("NicNodePolicy/a", converging: true));
        coalescer.Forget(Key);
        Assert.Null(coalescer.Hold(Key, converging: true));
    }
}
