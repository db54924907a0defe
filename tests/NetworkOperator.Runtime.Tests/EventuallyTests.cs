using NetworkOperator.Tests.Shared;
using Xunit.Sdk;

namespace NetworkOperator.Runtime.Tests;

/// <summary>The shared wait helper every test project links: its timeout factor and what it reports when a wait fails.</summary>
public class EventuallyTests
{
    [Theory]
    [InlineData(null, null, 1.0)]
    [InlineData("", "", 1.0)]
    [InlineData("true", null, 2.0)]
    [InlineData("1", null, 2.0)]
    [InlineData("false", null, 1.0)]
    [InlineData("true", "1.5", 1.5)]
    [InlineData(null, "4", 4.0)]
    public void The_timeout_factor_follows_CI_and_TEST_TIMEOUT_SCALE(string? ci, string? scale, double expected) =>
        Assert.Equal(expected, Eventually.Scale(ci, scale));

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("fast")]
    public void A_factor_that_is_not_a_positive_number_is_refused(string scale)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Eventually.Scale(null, scale));
        Assert.Contains(scale, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_condition_is_polled_until_it_holds()
    {
        var polls = 0;
        await Eventually.TrueAsync(() => ++polls == 3, "the third poll");
        Assert.Equal(3, polls);
    }

    [Fact]
    public async Task A_condition_that_never_holds_fails_naming_what_was_awaited()
    {
        var error = await Assert.ThrowsAnyAsync<XunitException>(() => Eventually.TrueAsync(() => false, "the moon", TimeSpan.Zero));
        Assert.Contains("waiting for: the moon", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_assertion_is_retried_until_it_passes()
    {
        var polls = 0;
        await Eventually.HoldsAsync(() => Assert.Equal(3, ++polls));
        Assert.Equal(3, polls);
    }

    [Fact]
    public async Task An_assertion_that_keeps_failing_reports_its_last_failure()
    {
        var polls = 0;
        var error = await Assert.ThrowsAnyAsync<XunitException>(() => Eventually.HoldsAsync(() => Assert.Equal(-1, ++polls), TimeSpan.Zero));
        Assert.Contains($"Actual:   {polls}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_exception_that_is_not_an_assertion_is_not_retried()
    {
        var polls = 0;
        await Assert.ThrowsAsync<InvalidOperationException>(() => Eventually.HoldsAsync(() =>
        {
            polls++;
            throw new InvalidOperationException("broken");
        }));
        Assert.Equal(1, polls);
    }
}
